import type { ProtectedAgent } from './ProtectedAgent';

/** A host from the inventory with defaults applied and paths resolved (see config/loadInventory). */
export interface LbCommands {
  configTest?: string;
  start?: string;
  reload?: string;
  restart?: string;
  stop?: string;
}

export interface LbConfig {
  kind: string;
  pidFile?: string;
  errorLog?: string;
  unit?: string;
  /** Main config file; default from the runbook. */
  configFile?: string;
  commands?: LbCommands;
  /** Ports this LB must own (guards reserve them); the live config adds what it declares. */
  ports?: number[];
}

/**
 * The separate SSH credential for approved, mutating steps (docs/reference/inventory.md,
 * `defaults.remediation`). Host-key settings stay the host's: the same verification applies.
 */
export interface RemediationConnection {
  user: string;
  privateKeyPath: string;
  /** Not root: privileged control commands run as `sudo -n …` (deploy/sudoers/portbot-remediation). */
  sudo: boolean;
}

export interface HostConfig {
  name: string;
  address: string;
  port: number;
  user: string;
  sudo: boolean;
  privateKeyPath?: string;
  /** Name of the env var that holds the private key passphrase. */
  passphraseEnv?: string;
  /** Use the ssh-agent at this socket (default: $SSH_AUTH_SOCK when no key file is set). */
  agentSocket?: string;
  knownHostsPath?: string;
  hostKey?: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  labels: Record<string, string>;
  lb?: LbConfig;
  haGroup?: string;
  /**
   * How old a bind error in the LB log may be and still explain a stopped LB (minutes; the
   * diagnosis defaults it). A running LB uses its own start time instead.
   */
  bindErrorWindowMinutes?: number;
  /** Absent: the inventory has no remediation credential and nothing may be changed on the host. */
  remediation?: RemediationConnection;
}

export interface HaGroupConfig {
  name: string;
  kind: 'keepalived';
  vip: string;
  members: string[];
  commands?: { demote?: string; promote?: string };
}

export interface Inventory {
  /** Absolute path of the file it was loaded from. */
  path: string;
  hosts: HostConfig[];
  haGroups: HaGroupConfig[];
  /**
   * Agents never to be killed: runbooks/protected-agents.yaml merged with the inventory's own
   * `protectedAgents` (loadInventory). Absent means none.
   */
  protectedAgents?: ProtectedAgent[];
}
