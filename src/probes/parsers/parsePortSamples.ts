import type { PortSampleChange } from '../../domain/ProbeResults';
import { parseSs } from './parseSs';

export interface ParsedSamples {
  mode: 'listening' | 'holding';
  intervalMs: number;
  startedAt: number;
  endedAt: number;
  samples: number;
  changes: PortSampleChange[];
  truncated: boolean;
}

const HEAD = /^mode=(listening|holding) interval_ms=(\d+) start=(\d+(?:\.\d+)?) uptime_cs=(\d+)$/;
const TAIL = /^end_cs=(\d+) samples=(\d+) changes=(\d+)$/;
const CHANGE = /^@ (\d+) (\d+)$/;

/**
 * The sample section (probes/catalogue sampleScript): `mode=… interval_ms=… start=<epoch>
 * uptime_cs=<cs>`, then `@ <uptime cs> <index>` with that sample's socket lines, then
 * `end_cs=… samples=… changes=…`. Times become epoch seconds on the host's clock (start plus
 * the uptime elapsed). Null when the section did not finish: a cut sampling says nothing reliable.
 */
export function parsePortSamples(text: string): ParsedSamples | null {
  const lines = text.split('\n');
  const head = HEAD.exec(lines[0] ?? '');
  const tail = TAIL.exec([...lines].reverse().find((l) => l.startsWith('end_cs=')) ?? '');
  if (!head || !tail) return null;
  const start = Number(head[3]);
  const c0 = Number(head[4]);
  const epoch = (cs: number) => Math.round((start + (cs - c0) / 100) * 1000) / 1000;
  const changes: PortSampleChange[] = [];
  let current: { at: number; index: number; lines: string[] } | null = null;
  const flush = () => {
    if (current)
      changes.push({
        at: current.at,
        index: current.index,
        sockets: parseSs(current.lines.join('\n')),
      });
  };
  for (const line of lines.slice(1)) {
    const m = CHANGE.exec(line);
    if (m) {
      flush();
      current = { at: epoch(Number(m[1])), index: Number(m[2]), lines: [] };
    } else if (current && !TAIL.test(line)) current.lines.push(line);
  }
  flush();
  return {
    mode: head[1] as 'listening' | 'holding',
    intervalMs: Number(head[2]),
    startedAt: start,
    endedAt: epoch(Number(tail[1])),
    samples: Number(tail[2]),
    changes,
    truncated: Number(tail[3]) > changes.length,
  };
}
