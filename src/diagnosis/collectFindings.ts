import type { Finding, Occupant } from '../domain/diagnosis';
import type { Verdict } from '../domain/verdict';
import type { DiagnosisContext } from './buildContext';
import { findDuplicateListens } from './findDuplicateListens';
import { suspicionOf } from './rules/suspiciousOccupant';

/** TIME-WAIT count on one port worth mentioning (a busy LB closing first, or a port-reuse storm). */
export const MANY_TIME_WAIT = 100;
export const CONNTRACK_NEARLY_FULL = 0.9;
const MAX_LOG_FINDINGS = 3;

/** Facts true beside the verdict (docs/reference/verdicts.md), in a stable order. */
export function collectFindings(
  ctx: DiagnosisContext,
  verdict: Verdict,
  occupant: Occupant | null,
): Finding[] {
  const out: Finding[] = [];
  const { probes, port } = ctx;

  for (const h of ctx.holders) {
    if (h.proc?.exeDeleted)
      out.push({
        code: 'exe-deleted',
        detail: `${h.comm} (pid ${h.pid}) runs ${h.proc.exe ?? '?'} (deleted)`,
      });
    else if (suspicionOf(h.proc))
      out.push({
        code: 'exe-in-temp-dir',
        detail: `${h.comm} (pid ${h.pid}) runs ${h.proc?.exe ?? '?'}`,
      });
  }
  const roots = ctx.holders.filter(
    (h) =>
      h.attachedTo === null &&
      (h.proc === null || !ctx.holders.some((o) => o.pid === h.proc?.ppid)),
  );
  for (const h of roots) {
    if (occupant && (h.pid === occupant.pid || h.proc?.ppid === occupant.pid)) continue;
    out.push({
      code: 'other-holder',
      detail: `${h.comm} (pid ${h.pid}) also listens on ${h.socket.localAddress}`,
    });
  }
  if (verdict !== 'foreign-listener' || occupant !== null) {
    for (const s of ctx.ownerless) {
      out.push({
        code: 'owner-not-visible',
        detail: `ss shows no owning process for ${s.raw.trim()} (other PID namespace or no privileges)`,
      });
    }
  }
  for (const m of ctx.ownerMismatches) {
    out.push({
      code: 'owner-name-mismatch',
      detail: `ss names "${m.owner.comm}" (pid ${m.owner.pid}) as an owner of ${m.socket.localAddress}, but pid ${m.owner.pid} is ${m.statComm}: owner ignored (a process name can imitate ss output)`,
    });
  }
  for (const s of ctx.udpSockets) {
    const by = s.owners.map((o) => `${o.comm} (pid ${o.pid})`).join(', ') || 'an unseen process';
    out.push({
      code: 'udp-socket-on-port',
      detail: `${by} has UDP ${s.localAddress} open: it does not block a TCP bind of port ${port} (UDP ${port} may be QUIC/HTTP3)`,
    });
  }
  const timeWait = probes.sockets.filter(
    (s) => s.localPort === port && s.state === 'TIME-WAIT',
  ).length;
  if (timeWait >= MANY_TIME_WAIT)
    out.push({ code: 'many-time-wait', detail: `${timeWait} TIME-WAIT sockets on port ${port}` });
  if (probes.conntrack && probes.conntrack.max > 0) {
    const ratio = probes.conntrack.count / probes.conntrack.max;
    if (ratio >= CONNTRACK_NEARLY_FULL) {
      out.push({
        code: 'conntrack-nearly-full',
        detail: `conntrack table ${probes.conntrack.count}/${probes.conntrack.max} (${Math.round(ratio * 100)}%): new connections are dropped when full`,
      });
    }
  }

  if (ctx.lb) out.push(...lbFindings(ctx, verdict));
  out.push(...haFindings(ctx));
  out.push(...probes.missing);
  return out;
}

function lbFindings(ctx: DiagnosisContext, verdict: Verdict): Finding[] {
  const lb = ctx.lb;
  if (!lb) return [];
  const out: Finding[] = [];
  const { kind, binary } = lb.runbook;
  if (!lb.probe) return [{ code: 'lb-not-probed', detail: `${kind} state could not be probed` }];
  const named = lb.probe.managedPid;
  if (named !== null && lb.managedPid === null) {
    const proc = ctx.probes.processes[named];
    out.push({
      code: 'managed-pid-reused',
      detail: `the ${lb.probe.managedPidSource ?? 'pid file'} names pid ${named}, which is ${proc?.comm ?? 'another program'}, not ${kind}: ${kind} is not running as managed`,
    });
  }
  if (!lb.probe.binaryPresent)
    out.push({ code: 'lb-binary-missing', detail: `${binary} is not on ${ctx.hostName}` });
  const lines = [...new Set(lb.bindErrors.map((e) => e.line))].slice(-MAX_LOG_FINDINGS);
  for (const line of lines) out.push({ code: 'bind-error-in-log', detail: line });
  const stale = new Map(lb.staleBindErrors.map((e) => [e.line, e.why]));
  for (const [line, why] of [...stale].slice(-MAX_LOG_FINDINGS)) {
    out.push({ code: 'old-bind-error-in-log', detail: `${line} — ${why}: not counted` });
  }
  if (verdict !== 'config-conflict') {
    const test = lb.probe.configTest;
    if (test && test.exitCode !== 0) {
      out.push({
        code: 'config-test-failed',
        detail: `${lb.runbook.commands.configTest} exited ${test.exitCode}: ${lastLine(test.output)}`,
      });
    }
    for (const d of findDuplicateListens(lb.probe.configListens)) {
      out.push({ code: 'duplicate-listen', detail: `${kind} config declares ${d} twice` });
    }
  }
  return out;
}

function haFindings(ctx: DiagnosisContext): Finding[] {
  const ha = ctx.ha;
  if (!ha) return [];
  const probe = ctx.probes.ha;
  if (!probe)
    return [
      {
        code: 'ha-not-probed',
        detail: `keepalived state for group ${ha.group} could not be probed`,
      },
    ];
  const out: Finding[] = [
    {
      code: 'vrrp-role',
      detail: `${ha.role}: this node ${ha.holdsVip ? 'holds' : 'does not hold'} VIP ${ha.vip} (group ${ha.group})`,
    },
  ];
  if (ha.role === 'FAULT') {
    out.push({
      code: 'vip-without-keepalived',
      detail: `keepalived is not running but this node still holds VIP ${ha.vip}: the peer may hold it too (split brain) — check the other members of ${ha.group}`,
    });
  } else if (!probe.keepalivedRunning) {
    out.push({
      code: 'keepalived-not-running',
      detail: `keepalived is not running on ${ctx.hostName} (group ${ha.group}): no failover from or to this node`,
    });
  }
  return out;
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1)
      ?.trim() ?? ''
  );
}
