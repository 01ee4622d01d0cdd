import type { Runbook } from '../domain/Runbook';
import { portOf } from '../probes/normalizeListen';

export type BindErrorKind = 'addressInUse' | 'permissionDenied' | 'addressNotAvailable';

export interface BindError {
  kind: BindErrorKind;
  /** address:port as the LB logged it, e.g. 0.0.0.0:80 or [::]:80. */
  address: string;
  port: number;
  line: string;
  /** Position in the log (oldest first): the highest index is the latest failure. */
  index: number;
}

const KINDS: readonly BindErrorKind[] = ['addressInUse', 'permissionDenied', 'addressNotAvailable'];

/** Bind failures for `port` in the LB log, oldest first, per the runbook's patterns. */
export function findBindErrors(
  logLines: readonly string[],
  patterns: Runbook['logPatterns'],
  port: number,
): BindError[] {
  const compiled = KINDS.map((kind) => ({ kind, re: new RegExp(patterns[kind]) }));
  const found: BindError[] = [];
  logLines.forEach((line, index) => {
    for (const { kind, re } of compiled) {
      const address = re.exec(line)?.groups?.['address'];
      if (address === undefined) continue;
      if (portOf(address) !== port) continue;
      found.push({ kind, address, port, line: line.trim(), index });
      break;
    }
  });
  return found;
}
