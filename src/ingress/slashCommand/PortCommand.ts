import type { FleetScope } from '../../domain/FleetScope';

/** What `/port …` asked for, after parsing; names are validated but not yet looked up. */
export type PortCommand =
  | { kind: 'check-host'; host: string; port: number }
  | { kind: 'check-group'; group: string; port: number }
  | { kind: 'check-all'; port: number }
  /** `sweep`, `sweep all` or `sweep group:<name>`: latent port-conflict risks, one digest. */
  | { kind: 'sweep'; scope: FleetScope }
  | { kind: 'status' }
  | { kind: 'help' }
  /** `since` as typed (checked against the clock later, like the CLI's and HTTP's); null: all. */
  | { kind: 'audit-export'; since: string | null };

export type ParsePortCommandResult =
  { ok: true; command: PortCommand } | { ok: false; error: string; hint: string };

export const PORT_SUBCOMMANDS = ['check', 'sweep', 'status', 'audit', 'help'] as const;

/** Shown with every error and by `/port help`. */
export const PORT_USAGE = [
  '/port check <host> <port>        diagnose one host, e.g. /port check lb-01 443',
  '/port check group:<name> <port>  every member of an HA group',
  '/port check all <port>           the whole inventory',
  '/port sweep [group:<name>]       latent port conflicts on every host (or a group), one digest',
  '/port status                     queued and running diagnoses',
  '/port audit export [--since 7d]  the audit log as a file in your DM (auditors only)',
  '/port help                       this list',
].join('\n');

/** The hint shown with every `/port audit …` error. */
export const AUDIT_EXPORT_USAGE =
  'usage: /port audit export [--since <when>], <when> a duration like 7d, 12h, 30m or an ISO date';
