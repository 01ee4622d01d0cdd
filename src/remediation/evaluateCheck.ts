import type { ExecResult } from '../domain/CommandRunner';
import type { SocketEntry } from '../domain/ProbeResults';
import { hostOf, portOf } from '../probes/normalizeListen';
import type { Observation } from './ExecutionPorts';
import type { Check, FourTuple } from './RemediationPlan';

export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** The hosts a check needs a fresh observation of (none for exit-zero). */
export function checkHosts(check: Check): string[] {
  switch (check.kind) {
    case 'exit-zero':
      return [];
    case 'vip-moved':
      return [check.from, ...check.to];
    case 'vip-held-once':
      return check.by;
    default:
      return [check.host];
  }
}

/** A deadline of 0 means "holds right now": checked once, never polled. */
export function checkWithinMs(check: Check): number {
  return 'withinMs' in check ? check.withinMs : 0;
}

function isConnection(s: SocketEntry, c: FourTuple): boolean {
  return (
    hostOf(s.localAddress) === c.localIp &&
    portOf(s.localAddress) === c.localPort &&
    hostOf(s.peerAddress) === c.peerIp &&
    portOf(s.peerAddress) === c.peerPort
  );
}

function holdsVip(o: Observation | undefined): boolean | null {
  return o?.diagnosis.ha ? o.diagnosis.ha.holdsVip : null;
}

const fail = (detail: string): CheckResult => ({ ok: false, detail });
const pass = (detail: string): CheckResult => ({ ok: true, detail });

/**
 * Pure: whether a check holds on the observations just made (and the step's exit, for
 * exit-zero). A host that could not be observed never satisfies a check.
 */
export function evaluateCheck(
  check: Check,
  seen: ReadonlyMap<string, Observation>,
  exit: ExecResult | null,
): CheckResult {
  if (check.kind === 'exit-zero') {
    if (!exit) return fail('the command did not run');
    return exit.code === 0 ? pass('exit 0') : fail(`exit ${exit.code ?? `signal ${exit.signal}`}`);
  }
  if (check.kind === 'vip-moved') {
    if (holdsVip(seen.get(check.from)) !== false) return fail(`${check.from} still holds the VIP`);
    const to = check.to.filter((h) => holdsVip(seen.get(h)) === true);
    return to.length === 1
      ? pass(`VIP on ${to[0]}`)
      : fail(`VIP on none of ${check.to.join(', ')}`);
  }
  if (check.kind === 'vip-held-once') {
    const by = check.by.filter((h) => holdsVip(seen.get(h)) === true);
    return by.length === 1
      ? pass(`VIP on ${by[0]}`)
      : fail(`VIP on ${by.join(' and ') || 'no member'}`);
  }
  const o = seen.get(check.host);
  const probes = o?.probes;
  if (!o || !probes) return fail(`${check.host} could not be probed`);
  const d = o.diagnosis;
  switch (check.kind) {
    case 'occupant-is': {
      const now = d.occupant;
      if (!now) return fail(`no process holds port ${check.port} now`);
      const same =
        now.pid === check.pid &&
        now.startTicks === check.startTicks &&
        now.exe === check.exe &&
        now.uid === check.uid;
      const who = `pid ${now.pid} (start ticks ${now.startTicks ?? '?'}, ${now.exe ?? '?'}, uid ${now.uid ?? '?'})`;
      if (!same) return fail(`port ${check.port} is held by ${who}`);
      // Same pid, start ticks, exe and uid but another command line: the process re-executed
      // (e.g. the same interpreter running another script), which is not what was approved.
      if (check.cmdline !== null && now.cmdline !== check.cmdline) {
        return fail(
          `port ${check.port} is held by ${who} running another command line (${now.cmdline ?? 'unreadable'})`,
        );
      }
      return pass(`${who} still holds the port`);
    }
    case 'port-free': {
      // Orphaned FIN-WAIT/TIME-WAIT sockets of a dead process have no owner and block no bind.
      const busy = probes.sockets.filter(
        (s) => s.state === 'LISTEN' || s.state === 'UNCONN' || s.owners.length > 0,
      );
      return busy.length === 0
        ? pass(`port ${check.port} is free`)
        : fail(`still held: ${busy[0]?.raw}`);
    }
    case 'lb-listening':
      return d.lb?.listening === true
        ? pass(`${d.lb.kind} listens on port ${check.port}`)
        : fail(`the managed LB does not listen on port ${check.port}`);
    case 'vip-not-on':
      return holdsVip(o) === false
        ? pass(`${check.host} does not hold the VIP`)
        : fail(`${check.host} holds the VIP (or its state is unknown)`);
    case 'reserved-ports-are': {
      const now = probes.sysctls.ipLocalReservedPorts;
      const same = JSON.stringify(now) === JSON.stringify(check.ranges);
      return same
        ? pass('reserved ports unchanged')
        : fail('net.ipv4.ip_local_reserved_ports changed since the diagnosis');
    }
    case 'port-reserved': {
      const ranges = probes.sysctls.ipLocalReservedPorts ?? [];
      const ok = ranges.some((r) => r.from <= check.port && check.port <= r.to);
      return ok
        ? pass(`port ${check.port} is reserved`)
        : fail(`port ${check.port} is not reserved`);
    }
    case 'connection-gone':
      return probes.sockets.some((s) => isConnection(s, check.connection))
        ? fail('the connection is still there')
        : pass('the connection is gone');
  }
}
