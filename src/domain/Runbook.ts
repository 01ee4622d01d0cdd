import type { LbCommands } from './HostConfig';

/**
 * What portbot knows about one LB kind. Loaded from runbooks/<kind>.yaml and validated
 * (config/runbookSchema.ts); per-host inventory fields (pidFile, unit, errorLog, commands)
 * override these defaults.
 */
export interface Runbook {
  kind: string;
  /** Absolute path of the LB binary; its absence is a finding, not a failure. */
  binary: string;
  /** comm / exe basenames that count as "the LB's own program" (stale-instance detection). */
  programs: string[];
  pidFile: string;
  unit: string;
  configFile: string;
  errorLog: string;
  /** How bind failures look in this LB's log; each a JS regex source, matched per line. */
  logPatterns: {
    addressInUse: string;
    permissionDenied: string;
    addressNotAvailable: string;
  };
  /** How this kind's config declares a listening address (used for duplicate detection). */
  configListen: 'nginx-listen' | 'haproxy-bind';
  commands: Required<Pick<LbCommands, 'configTest' | 'start' | 'reload' | 'restart' | 'stop'>>;
}
