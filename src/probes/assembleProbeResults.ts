import { PortbotError } from '../domain/PortbotError';
import type { HaGroupConfig } from '../domain/HostConfig';
import type { HaProbe, ProbeResults, ProcessInfo, SocketEntry } from '../domain/ProbeResults';
import type { Runbook } from '../domain/Runbook';
import type { CatalogueParams } from './catalogue';
import { LIMITS, describeSection } from './catalogue';
import { assembleLbProbe } from './assembleLbProbe';
import { parseCmdline } from './parsers/parseCmdline';
import { parseExeLink } from './parsers/parseExeLink';
import { parseHostClock } from './parsers/parseHostClock';
import { parsePasswd } from './parsers/parsePasswd';
import { parseProcStat } from './parsers/parseProcStat';
import { parseProcStatusUid } from './parsers/parseProcStatus';
import { parseSs } from './parsers/parseSs';
import { parseConntrack, parseSysctls } from './parsers/parseSysctls';
import type { Section } from './splitSections';
import { capEvidence, firstLine, keyValues, withoutSudoNoise } from './sectionText';

type Missing = ProbeResults['missing'];

export interface AssembleInput {
  host: string;
  params: CatalogueParams;
  lb: Runbook | null;
  ha: HaGroupConfig | null;
  sections: Map<string, Section>;
  stderr: string;
}

function sockets(
  sections: Map<string, Section>,
  uid: number | null,
  sudo: boolean,
  missing: Missing,
): SocketEntry[] {
  const ss = sections.get('ss');
  const fallback = sections.get('ss-nosudo');
  const used = ss?.exitCode === 0 ? ss : fallback?.exitCode === 0 ? fallback : null;
  if (!used) {
    const detail = firstLine(fallback?.output ?? ss?.output ?? '') || 'no ss output';
    throw new PortbotError('PROBE_FAILED', `ss failed on the host: ${detail}`);
  }
  if (used === fallback) {
    missing.push({
      code: 'owners-hidden',
      detail: `sudo ss failed: ${firstLine(ss?.output ?? '')}`,
    });
  } else if (uid !== 0 && !sudo) {
    missing.push({ code: 'owners-hidden', detail: `ss ran as uid ${uid ?? '?'} without sudo` });
  }
  if (used.output.split('\n').length >= LIMITS.ssLines - 1) {
    missing.push({
      code: 'ss-truncated',
      detail: `only the first ${LIMITS.ssLines - 1} sockets were read`,
    });
  }
  return parseSs(used.output);
}

function processes(sections: Map<string, Section>): Record<number, ProcessInfo> {
  const users = parsePasswd(sections.get('users')?.output ?? '');
  const out: Record<number, ProcessInfo> = {};
  for (const [name, section] of sections) {
    const m = /^stat\.(\d+)$/.exec(name);
    if (!m || section.exitCode !== 0) continue;
    const stat = parseProcStat(section.output.split('\n')[0] ?? '');
    if (!stat) continue;
    const pid = stat.pid;
    const status = sections.get(`status.${pid}`);
    const uid = status?.exitCode === 0 ? parseProcStatusUid(status.output) : null;
    const exeSection = sections.get(`exe.${pid}`);
    const exe = parseExeLink(exeSection?.output ?? '', exeSection?.exitCode ?? 1);
    const cmdline = sections.get(`cmdline.${pid}`);
    const cgroup = sections.get(`cgroup.${pid}`);
    out[pid] = {
      pid,
      ppid: stat.ppid,
      comm: stat.comm,
      state: stat.state,
      startTicks: stat.startTicks,
      exe: exe.exe,
      exeDeleted: exe.deleted,
      cmdline: cmdline?.exitCode === 0 ? parseCmdline(cmdline.output) : null,
      uid,
      user: uid === null ? null : (users.get(uid) ?? null),
      cgroup: cgroup?.exitCode === 0 ? cgroup.output.split('\n').filter((l) => l !== '') : [],
    };
  }
  return out;
}

export function haProbe(
  sections: Map<string, Section>,
  ha: HaGroupConfig,
  missing: Missing,
): HaProbe {
  const vip = sections.get('vip');
  if (!vip || vip.exitCode !== 0) {
    missing.push({
      code: 'vip-check-failed',
      detail: firstLine(vip?.output ?? '') || 'ip addr not run',
    });
  }
  const escaped = ha.vip.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    group: ha.name,
    vip: ha.vip,
    holdsVip: new RegExp(`\\sinet6? ${escaped}/`).test(vip?.output ?? ''),
    keepalivedRunning: sections.get('keepalived')?.exitCode === 0,
  };
}

/** Pure: the parsed sections of one batch run become ProbeResults. */
export function assembleProbeResults(input: AssembleInput): ProbeResults {
  const { sections, params } = input;
  const missing: Missing = [];
  const meta = keyValues(sections.get('meta')?.output ?? '');
  const uid = /^\d+$/.test(meta.get('uid') ?? '') ? Number(meta.get('uid')) : null;
  const systemd = meta.get('systemd') === '1';
  if (!systemd) missing.push({ code: 'no-systemd', detail: '/run/systemd/system does not exist' });
  const btime = meta.get('btime') ?? '';
  const bootTime = /^\d+$/.test(btime) ? Number(btime) : null;
  if (bootTime === null) missing.push({ code: 'no-btime', detail: 'no btime in /proc/stat' });
  const clk = meta.get('clk_tck') ?? '';
  const clockTicks = /^\d+$/.test(clk) && Number(clk) > 0 ? Number(clk) : 100;
  if (clockTicks === 100 && clk !== '100') {
    missing.push({ code: 'clk-tck-assumed', detail: 'getconf CLK_TCK failed; assuming 100' });
  }
  // Without it log lines that carry local time cannot be dated; they then count as before.
  const clock = parseHostClock(meta.get('clock') ?? '');
  const socketList = sockets(sections, uid, params.sudo, missing);
  const conntrackSection = sections.get('conntrack');
  const conntrack =
    conntrackSection?.exitCode === 0 ? parseConntrack(conntrackSection.output) : null;
  if (!conntrack) {
    missing.push({
      code: 'no-conntrack',
      detail: firstLine(conntrackSection?.output ?? '') || 'not probed',
    });
  }
  const lb = input.lb ? assembleLbProbe(sections, input.lb, missing) : null;
  const procs = processes(sections);
  if (Object.keys(procs).length >= LIMITS.maxPids) {
    missing.push({
      code: 'processes-truncated',
      detail: `only ${LIMITS.maxPids} processes were described (socket owners and their ancestors); the others are known by pid and name only`,
    });
  }
  const evidence = [...sections.values()].map((s) => ({
    probe: s.name,
    command: describeSection(s.name, params),
    output: capEvidence(s.name, withoutSudoNoise(s.output), s.exitCode),
  }));
  if (input.stderr.trim() !== '') {
    evidence.push({
      probe: 'stderr',
      command: 'probe script',
      output: capEvidence('stderr', input.stderr, 0),
    });
  }
  return {
    host: input.host,
    port: params.port,
    sockets: socketList,
    processes: procs,
    sysctls: parseSysctls(sections.get('sysctl')?.output ?? ''),
    conntrack,
    systemd,
    bootTime,
    clockTicks,
    clock,
    lb,
    ha: input.ha ? haProbe(sections, input.ha, missing) : null,
    missing,
    evidence,
  };
}
