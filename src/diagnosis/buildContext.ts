import type { HaState, LbState } from '../domain/diagnosis';
import type { HaGroupConfig, HostConfig } from '../domain/HostConfig';
import type { ProtectedAgent } from '../domain/ProtectedAgent';
import type { LbProbe, ProbeResults, ProcessInfo, SocketEntry } from '../domain/ProbeResults';
import type { Runbook } from '../domain/Runbook';
import { parseCgroup } from '../probes/parsers/parseCgroup';
import {
  ageBindErrors,
  DEFAULT_BIND_ERROR_WINDOW_MINUTES,
  type DatedBindError,
  type StaleBindError,
} from './ageBindErrors';
import { findBindErrors } from './findBindErrors';
import { ancestorsOf, isSelfOrDescendant } from './processTree';
import { startSeconds } from './toOccupant';
import { verifyOwners, type OwnerMismatch } from './verifyOwners';

export interface DiagnoseInput {
  host: HostConfig;
  port: number;
  probes: ProbeResults;
  lb: Runbook | null;
  ha: HaGroupConfig | null;
  durationMs: number;
  /** Agents never to kill (Inventory.protectedAgents); absent means none. */
  protectedAgents?: readonly ProtectedAgent[];
}

/** A process that owns a listening socket on the port (one entry per pid). */
export interface Holder {
  pid: number;
  comm: string;
  socket: SocketEntry;
  proc: ProcessInfo | null;
  unit: string | null;
  container: string | null;
  /**
   * For a holder the probes did not describe (past LIMITS.maxPids): a described holder of the
   * same socket, whose family it most likely belongs to (one of 100 nginx workers). Else null.
   */
  attachedTo: number | null;
}

/** The LB side of a diagnosis; present only when the host has an `lb` in the inventory. */
export interface LbContext {
  runbook: Runbook;
  probe: LbProbe | null;
  managedPid: number | null;
  /** Bind errors a verdict may rest on (newer than the LB's start or within the window). */
  bindErrors: DatedBindError[];
  /** Older bind errors: reported as findings, never a verdict's reason. */
  staleBindErrors: StaleBindError[];
}

export interface DiagnosisContext {
  input: DiagnoseInput;
  /** input.probes with the owners that failed the comm check (ownerMismatches) removed. */
  probes: ProbeResults;
  ownerMismatches: OwnerMismatch[];
  /** UDP sockets on the port: they cannot block a TCP bind, so they are findings, not holders. */
  udpSockets: SocketEntry[];
  port: number;
  hostName: string;
  listeners: SocketEntry[];
  /** Listeners whose owner ss could not show (other PID namespace, no privileges). */
  ownerless: SocketEntry[];
  /** Root holders first (those with no other holder among their ancestors), then the rest. */
  holders: Holder[];
  lb: LbContext | null;
  lbState: LbState | null;
  ha: HaState | null;
  isManaged(pid: number): boolean;
  isLbProgram(holder: Holder): boolean;
  /** The process itself runs one of the runbook's programs (by comm or executable name). */
  isLbProcess(p: ProcessInfo): boolean;
}

const CONTAINER_RUNTIMES = ['docker-proxy', 'docker-pr'];

/** Only a TCP listener can make an LB's TCP bind fail (LISTEN is a stream-socket state). */
export function isListening(s: SocketEntry, port: number): boolean {
  return s.localPort === port && s.netid !== 'udp' && s.state === 'LISTEN';
}

export function buildContext(input: DiagnoseInput): DiagnosisContext {
  const { port } = input;
  const verified = verifyOwners(input.probes);
  const probes: ProbeResults = { ...input.probes, sockets: verified.sockets };
  const listeners = probes.sockets.filter((s) => isListening(s, port));
  const ownerless = listeners.filter((s) => s.owners.length === 0);
  const holders = orderHolders(collectHolders(listeners, probes), probes);

  const programs = new Set(input.lb?.programs ?? []);
  const isProgram = (p: { comm: string; exe: string | null }): boolean =>
    programs.has(p.comm) || (p.exe !== null && programs.has(basename(p.exe)));

  const lb: LbContext | null = input.lb ? lbContext(input, input.lb, probes, isProgram) : null;

  const inManagedTree = (pid: number): boolean =>
    lb?.managedPid != null && isSelfOrDescendant(pid, lb.managedPid, probes.processes);
  // Workers past LIMITS.maxPids are not described, so the tree cannot place them: sharing a
  // listening socket with the managed LB is what makes them part of it.
  const sharing = new Set<number>();
  for (const s of listeners) {
    if (s.owners.some((o) => inManagedTree(o.pid))) for (const o of s.owners) sharing.add(o.pid);
  }
  const isManaged = (pid: number): boolean => inManagedTree(pid) || sharing.has(pid);

  const isLbProgram = (h: Holder): boolean =>
    programs.size > 0 &&
    (isProgram({ comm: h.comm, exe: h.proc?.exe ?? null }) ||
      ancestorsOf(h.pid, probes.processes).some(isProgram));

  const lbState: LbState | null = lb
    ? {
        kind: lb.runbook.kind,
        running: lb.managedPid !== null,
        pid: lb.managedPid,
        listening: holders.some((h) => isManaged(h.pid)),
      }
    : null;

  return {
    input,
    probes,
    ownerMismatches: verified.mismatches,
    udpSockets: probes.sockets.filter((s) => s.localPort === port && s.netid === 'udp'),
    port,
    hostName: input.host.name,
    listeners,
    ownerless,
    holders,
    lb,
    lbState,
    ha: deriveHaState(input),
    isManaged,
    isLbProgram,
    isLbProcess: (p) => programs.size > 0 && isProgram(p),
  };
}

function lbContext(
  input: DiagnoseInput,
  runbook: Runbook,
  probes: ProbeResults,
  isProgram: (p: { comm: string; exe: string | null }) => boolean,
): LbContext {
  const managedPid = trustedManagedPid(probes, isProgram);
  const master = managedPid === null ? undefined : probes.processes[managedPid];
  const found = probes.lb
    ? findBindErrors(probes.lb.logLines, runbook.logPatterns, input.port)
    : [];
  const aged = ageBindErrors(found, {
    kind: runbook.kind,
    clock: probes.clock,
    lbStartedAt: master
      ? startSeconds(master.startTicks, probes.bootTime, probes.clockTicks)
      : null,
    windowMinutes: input.host.bindErrorWindowMinutes ?? DEFAULT_BIND_ERROR_WINDOW_MINUTES,
  });
  return {
    runbook,
    probe: probes.lb,
    managedPid,
    bindErrors: aged.current,
    staleBindErrors: aged.stale,
  };
}

/**
 * The pid file / MainPID, unless that pid now belongs to another program: after a crash a
 * stale pid file can name a reused pid, and trusting it would call a foreign holder "healthy".
 */
function trustedManagedPid(
  probes: ProbeResults,
  isProgram: (p: { comm: string; exe: string | null }) => boolean,
): number | null {
  const pid = probes.lb?.managedPid ?? null;
  if (pid === null) return null;
  const proc = probes.processes[pid];
  return proc && !isProgram(proc) ? null : pid;
}

function collectHolders(listeners: SocketEntry[], probes: ProbeResults): Holder[] {
  const byPid = new Map<number, Holder>();
  for (const socket of listeners) {
    for (const owner of socket.owners) {
      if (byPid.has(owner.pid)) continue;
      const proc = probes.processes[owner.pid] ?? null;
      const placement = placementOf(owner.pid, proc, probes);
      const attachedTo = proc
        ? null
        : (socket.owners.find((o) => probes.processes[o.pid] !== undefined)?.pid ?? null);
      byPid.set(owner.pid, {
        pid: owner.pid,
        comm: proc?.comm ?? owner.comm,
        socket,
        proc,
        ...placement,
        attachedTo,
      });
    }
  }
  return [...byPid.values()];
}

/** Unit and container from the holder's cgroup, else from the nearest ancestor that has one. */
function placementOf(
  pid: number,
  proc: ProcessInfo | null,
  probes: ProbeResults,
): { unit: string | null; container: string | null } {
  let unit: string | null = null;
  let container: string | null = null;
  for (const p of [...(proc ? [proc] : []), ...ancestorsOf(pid, probes.processes)]) {
    const parsed = parseCgroup(p.cgroup);
    unit ??= parsed.unit;
    container ??= parsed.container;
    if (container === null && isDockerProxy(p)) container = dockerProxyTarget(p);
    if (unit !== null && container !== null) break;
  }
  return { unit, container };
}

function isDockerProxy(p: ProcessInfo): boolean {
  return (
    CONTAINER_RUNTIMES.includes(p.comm) || (p.exe !== null && basename(p.exe) === 'docker-proxy')
  );
}

/** docker-proxy names the container it forwards to: `-container-ip 172.17.0.2 -container-port 80`. */
function dockerProxyTarget(p: ProcessInfo): string {
  const ip = /-container-ip\s+(\S+)/.exec(p.cmdline ?? '')?.[1];
  const port = /-container-port\s+(\S+)/.exec(p.cmdline ?? '')?.[1];
  return ip && port ? `docker-proxy:${ip}:${port}` : 'docker-proxy';
}

/** nginx master before its workers: a holder whose ancestor also holds the socket is not the root. */
function orderHolders(holders: Holder[], probes: ProbeResults): Holder[] {
  const pids = new Set(holders.map((h) => h.pid));
  const isRoot = (h: Holder): boolean =>
    h.attachedTo === null && !ancestorsOf(h.pid, probes.processes).some((a) => pids.has(a.pid));
  const roots = holders.filter(isRoot).sort((a, b) => a.pid - b.pid);
  const rest = holders.filter((h) => !isRoot(h)).sort((a, b) => a.pid - b.pid);
  return [...roots, ...rest];
}

function deriveHaState(input: DiagnoseInput): HaState | null {
  if (!input.ha) return null;
  const probe = input.probes.ha;
  const vip = probe?.vip ?? input.ha.vip;
  if (!probe) return { group: input.ha.name, role: 'UNKNOWN', vip, holdsVip: false };
  let role: HaState['role'] = 'UNKNOWN';
  if (probe.keepalivedRunning) role = probe.holdsVip ? 'MASTER' : 'BACKUP';
  else if (probe.holdsVip) role = 'FAULT';
  return { group: input.ha.name, role, vip, holdsVip: probe.holdsVip };
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
