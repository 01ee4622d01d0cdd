import { check, info, ms, type ReportRow } from '../reportTable';
import type { FleetBenchResult } from './runFleetBench';

const mb = (v: number): string => `${v.toFixed(1)} MB`;
const pair = (a: string, b: string): string => `${a} | ${b}`;

/** The 200-host figures; the RSS target is judged on the real worker process. */
export function fleetReportRows(f: FleetBenchResult): ReportRow[] {
  const n = f.hosts;
  const c = f.fanoutCold;
  const w = f.fanoutWarm;
  const rows = [
    info(`${n} hosts in-process cold wall p50 | p95`, pair(ms(c.wallMs.p50), ms(c.wallMs.p95))),
    info(`${n} hosts in-process warm wall p50 | p95`, pair(ms(w.wallMs.p50), ms(w.wallMs.p95))),
    info(
      `${n} hosts client CPU/host, cold | warm`,
      pair(ms(c.clientCpuMsPerHost), ms(w.clientCpuMsPerHost)),
    ),
    info(
      `${n} hosts remote CPU/diagnosis, cold | warm`,
      pair(ms(c.remoteCpuMsPerDiagnosis), ms(w.remoteCpuMsPerDiagnosis)),
    ),
  ];
  const k = f.worker;
  if ('error' in k) {
    return [
      ...rows,
      {
        metric: `worker RSS, ${n} pooled connections`,
        value: 'not measured',
        target: '≤ 150 MB',
        pass: false,
      },
    ];
  }
  return [
    ...rows,
    info(`worker: check all over ${n} hosts, command → summary`, ms(k.checkWallMs)),
    info('worker CPU/host during the check (jobs, SSH, Slack)', ms(k.workerCpuMsPerHost)),
    info('worker RSS idle, before the check', mb(k.rssMb.idleBefore)),
    check(`worker RSS, ${n} pooled connections`, k.rssMb.pooled, mb, '<=', 150),
    info('worker peak RSS (VmHWM) at the check’s end', mb(k.rssMb.peak)),
    info(
      `worker RSS after the ${n} connections closed (${(k.closedAfterMs / 1000).toFixed(0)} s later)`,
      mb(k.rssMb.afterClose),
    ),
  ];
}
