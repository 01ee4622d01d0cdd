import type { HaProbe, SocketEntry, SocketUnit, Sysctls } from './ProbeResults';

/** Kubernetes processes seen on the host (`pgrep -a -x`): their pid and command line. */
export interface K8sProcess {
  pid: number;
  comm: 'kubelet' | 'kube-proxy' | 'kube-apiserver';
  cmdline: string;
}

/**
 * What the sweep's one batch found on a host, parsed. Like ProbeResults, anything a host may
 * lack is nullable and the reason goes to `missing`.
 */
export interface SweepProbe {
  host: string;
  systemd: boolean;
  sysctls: Sysctls;
  conntrack: { count: number; max: number } | null;
  /** Every listening TCP socket and bound UDP socket, any port. */
  listeners: SocketEntry[];
  /** TCP sockets with a local port inside ip_local_port_range (any state but LISTEN). */
  ephemeralInUse: number | null;
  /** address:port pairs the LB config declares, includes followed (duplicates as in ProbeResults). */
  configListens: string[] | null;
  /** null when systemd does not run (nothing to list). */
  socketUnits: SocketUnit[] | null;
  k8s: K8sProcess[];
  ha: HaProbe | null;
  missing: { code: string; detail: string }[];
  evidence: { probe: string; command: string; output: string }[];
}
