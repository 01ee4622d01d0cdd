/** What `/port …` asked for, after parsing; names are validated but not yet looked up. */
export type PortCommand =
  | { kind: 'check-host'; host: string; port: number }
  | { kind: 'check-group'; group: string; port: number }
  | { kind: 'check-all'; port: number }
  | { kind: 'status' }
  | { kind: 'help' };

export type ParsePortCommandResult =
  { ok: true; command: PortCommand } | { ok: false; error: string; hint: string };

export const PORT_SUBCOMMANDS = ['check', 'status', 'help'] as const;

/** Shown with every error and by `/port help`. */
export const PORT_USAGE = [
  '/port check <host> <port>        diagnose one host, e.g. /port check lb-01 443',
  '/port check group:<name> <port>  every member of an HA group',
  '/port check all <port>           the whole inventory',
  '/port status                     queued and running diagnoses',
  '/port help                       this list',
].join('\n');
