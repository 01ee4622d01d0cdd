import type { HostClock } from '../domain/ProbeResults';
import { parseLogTime } from '../probes/parsers/parseLogTime';
import type { BindError } from './findBindErrors';

/** How old a bind error may be and still explain a stopped LB, unless the inventory says else. */
export const DEFAULT_BIND_ERROR_WINDOW_MINUTES = 60;

export interface DatedBindError extends BindError {
  /** When the line was logged (seconds since the epoch); null when it carries no readable time. */
  loggedAt: number | null;
}

export interface StaleBindError extends DatedBindError {
  loggedAt: number;
  /** Why it no longer counts, for the finding. */
  why: string;
}

export interface AgedBindErrors {
  /** The bind errors a verdict may rest on, oldest first. */
  current: DatedBindError[];
  /** Older than the LB's start (running) or the window (stopped): findings only. */
  stale: StaleBindError[];
}

export interface AgeInput {
  kind: string;
  clock: HostClock | null;
  /** Start of the managed LB master (seconds since the epoch); null when it is not running. */
  lbStartedAt: number | null;
  windowMinutes: number;
}

/**
 * A bind error explains the LB's state only if it is newer than the LB's last start: a running
 * master started after it (the failure belongs to an earlier attempt), or, with the LB stopped,
 * it lies within the window before the host's current time. Lines without a readable time, or
 * any line when the host's clock is unknown, count as they always did.
 */
export function ageBindErrors(errors: readonly BindError[], input: AgeInput): AgedBindErrors {
  const current: DatedBindError[] = [];
  const stale: StaleBindError[] = [];
  const { clock, lbStartedAt, kind } = input;
  const windowStart = clock ? clock.now - input.windowMinutes * 60 : null;
  for (const e of errors) {
    const loggedAt = parseLogTime(e.line, clock);
    if (loggedAt !== null && lbStartedAt !== null && loggedAt < Math.floor(lbStartedAt)) {
      const why = `logged ${iso(loggedAt)}, before the running ${kind} started (${iso(lbStartedAt)})`;
      stale.push({ ...e, loggedAt, why });
    } else if (
      loggedAt !== null &&
      lbStartedAt === null &&
      windowStart !== null &&
      loggedAt < windowStart
    ) {
      const why = `logged ${iso(loggedAt)}, more than ${input.windowMinutes} min before the host's time (${iso(windowStart + input.windowMinutes * 60)}) and ${kind} is not running`;
      stale.push({ ...e, loggedAt, why });
    } else {
      current.push({ ...e, loggedAt });
    }
  }
  return { current, stale };
}

function iso(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
