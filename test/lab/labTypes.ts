export type LabLbKind = 'nginx' | 'haproxy';

export interface LabHostSpec {
  name: string;
  /** IPv4 address on the lab bridge (10.77.0.0/16). */
  address: string;
  lb: LabLbKind;
  haGroup?: string;
  /** SSH user portbot uses; default root. A non-root user also gets `sudo: true` in the inventory. */
  user?: string;
  /** keepalived priority inside its haGroup (higher wins). */
  priority?: number;
  labels?: Record<string, string>;
  /**
   * The host's boot script starts its nginx before sshd (bench hosts): the harness then spawns
   * nothing per host to bring the LB up, and checks it with one TCP connect to :80.
   */
  lbAtBoot?: boolean;
}

export interface LabOptions {
  dir?: string;
  hosts?: LabHostSpec[];
  /** Adds bench-01..bench-NN (nginx, healthy, root) at 10.77.1.1.. (at most 200). */
  benchHosts?: number;
  /** Start keepalived on haGroup members and wait for the VIP on the highest priority (default true). */
  keepalived?: boolean;
  /** How long to wait for a lab owned by another live process to stop (default 120 s). */
  waitForOtherLabMs?: number;
}

export const LAB_BRIDGE = 'pbbr0';
export const LAB_BRIDGE_ADDRESS = '10.77.0.1';
export const LAB_PREFIX = 16;
export const LAB_VIP = '10.77.0.100';
export const DIAG_USER = 'portbot-diag';
export const NETNS_PREFIX = 'pb-';
/** Root-namespace peer that ephemeral-collision clients connect to. */
export const PEER_PORT = 9009;

export const DEFAULT_HOSTS: readonly LabHostSpec[] = [
  {
    name: 'lb-01',
    address: '10.77.0.11',
    lb: 'nginx',
    haGroup: 'edge',
    priority: 150,
    labels: { site: 'lab', role: 'edge' },
  },
  {
    name: 'lb-02',
    address: '10.77.0.12',
    lb: 'nginx',
    haGroup: 'edge',
    priority: 100,
    labels: { site: 'lab', role: 'edge' },
  },
  { name: 'lb-03', address: '10.77.0.13', lb: 'haproxy', labels: { site: 'lab' } },
  { name: 'lb-04', address: '10.77.0.14', lb: 'nginx', user: DIAG_USER, labels: { site: 'lab' } },
];

/** One /24 of the lab network (10.77.1.0/24); the fleet bench runs 200. */
export const MAX_BENCH_HOSTS = 200;

export function benchHostSpecs(n: number): LabHostSpec[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_BENCH_HOSTS)
    throw new Error(`benchHosts must be 0..${MAX_BENCH_HOSTS}, got ${n}`);
  return Array.from({ length: n }, (_, i) => ({
    name: `bench-${String(i + 1).padStart(2, '0')}`,
    address: `10.77.1.${i + 1}`,
    lb: 'nginx' as const,
    labels: { site: 'lab', role: 'bench' },
    lbAtBoot: true,
  }));
}

export function netnsOf(name: string): string {
  return `${NETNS_PREFIX}${name}`;
}
