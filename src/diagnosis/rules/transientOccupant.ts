import type { Evidence, Occupant } from '../../domain/diagnosis';
import type { PortSamples, SocketEntry } from '../../domain/ProbeResults';
import type { Verdict } from '../../domain/verdict';
import { adviceAction, compact, restartLbAction } from '../actions';
import type { DiagnosisContext } from '../buildContext';
import { withLb } from '../describe';
import { pickEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { summarizeSamples, type Sighting } from '../summarizeSamples';
import { toOccupant } from '../toOccupant';
import { inRanges, reservePortAction } from './ephemeralPortCollision';

/** The snapshot verdicts that mean "free or healthy": only after these is the port sampled. */
export const SAMPLED_VERDICTS: readonly Verdict[] = [
  'healthy',
  'lb-not-listening',
  'time-wait-only',
  'port-free-lb-down',
];

const MAX_TIMES_LISTED = 5;

export function isoMillis(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds * 1000)).toISOString();
}

function who(s: Sighting): string {
  return s.comm !== null ? `${s.comm} (pid ${s.pid ?? '?'})` : 'a process ss could not show';
}

/** `3 times in 20.1 s of sampling (at …, …), the longest for at most 230 ms`. */
function howOften(s: Sighting, samples: PortSamples): string {
  const times = s.episodes.slice(0, MAX_TIMES_LISTED).map((e) => isoMillis(e.at));
  const more = s.episodes.length > MAX_TIMES_LISTED ? ', …' : '';
  const longest = Math.max(...s.episodes.map((e) => e.seconds));
  const n = s.episodes.length;
  return (
    `${n === 1 ? 'once' : `${n} times`} in ${(samples.endedAt - samples.startedAt).toFixed(1)} s of sampling ` +
    `(at ${times.join(', ')}${more}), ${n === 1 ? '' : 'the longest '}for at most ${Math.round(longest * 1000)} ms`
  );
}

function sampleEvidence(samples: PortSamples, sightings: readonly Sighting[]): Evidence {
  const e = samples.evidence;
  const wanted = new Set(sightings.map((s) => s.socket.raw));
  // The change markers, and the lines of what was seen; the managed LB's own lines add nothing.
  const lines = e.output
    .split('\n')
    .filter(
      (l) =>
        /^(mode|end_cs)=|^@ /.test(l) ||
        wanted.has(l.trimEnd()) ||
        sightings.some((s) => s.pid !== null && l.includes(`pid=${s.pid},`)),
    );
  return { probe: e.probe, command: e.command, output: lines.join('\n') };
}

/** The process seen, described as far as the snapshot knows it (it may be gone by now). */
function occupantOf(s: Sighting, ctx: DiagnosisContext): Occupant | null {
  if (s.pid === null || s.comm === null) return null;
  const proc = ctx.probes.processes[s.pid] ?? null;
  const source = { pid: s.pid, comm: s.comm, socket: s.socket, proc, unit: null, container: null };
  return toOccupant(source, ctx.probes);
}

/**
 * After config-conflict, before healthy (docs/reference/verdicts.md): the snapshot found the
 * port free or served by the LB, but sampling it (asked for by an alert or `--sample`) saw
 * another program hold it for moments — a scanner or an agent that binds briefly, which makes
 * an LB start or reload fail now and then and is gone by the time anyone looks.
 */
export const transientOccupant: Rule = {
  verdict: 'transient-occupant',
  evaluate(ctx) {
    const samples = ctx.probes.samples;
    if (!samples) return null;
    const programs = new Set(ctx.lb?.runbook.programs ?? []);
    const ignore = (s: SocketEntry) =>
      s.owners.length > 0 && s.owners.every((o) => ctx.isManaged(o.pid) || programs.has(o.comm));
    const sightings = summarizeSamples(samples, ignore);
    const first = sightings[0];
    if (!first) return null;
    const now = ctx.lbState?.listening
      ? `${ctx.lb?.runbook.kind ?? 'the LB'} serves port ${ctx.port}`
      : `port ${ctx.port} was free when probed`;
    const others = sightings.slice(1).map((s) => `${who(s)} ${s.episodes.length}×`);
    const listening = sightings.every((s) => s.socket.state === 'LISTEN');
    const { ipLocalPortRange: range, ipLocalReservedPorts: reserved } = ctx.probes.sysctls;
    const ephemeral =
      !listening &&
      range !== null &&
      inRanges(ctx.port, [range]) &&
      !(reserved !== null && inRanges(ctx.port, reserved));
    const logLines = (ctx.lb?.bindErrors ?? []).map((e) => e.line);
    return {
      verdict: 'transient-occupant',
      summary: withLb(
        `${now}, but ${who(first)} ${first.socket.state === 'LISTEN' ? 'listened on' : 'held'} it ${howOften(first, samples)}` +
          (others.length > 0 ? `; also seen: ${others.join(', ')}` : ''),
        ctx,
      ),
      occupant: occupantOf(first, ctx),
      // Not merged: merging drops repeated lines, and each repeat is a sample.
      evidence: [sampleEvidence(samples, sightings), ...pickEvidence(ctx.probes, logLines)],
      actions: compact([
        adviceAction(
          `Find what binds port ${ctx.port} on ${ctx.hostName} for moments`,
          `${who(first)} took the port ${first.episodes.length} time(s) while sampling. A scanner: exclude the LB's ports ` +
            `from its targets. An agent or a job: move it to another port. The pid may be gone already: look for it with ` +
            `ps -p ${first.pid ?? 'PID'} -o pid,ppid,user,lstart,args, and in the schedulers (cron, systemd timers).`,
        ),
        ephemeral ? reservePortAction(ctx) : null,
        ctx.lbState?.listening ? null : restartLbAction(ctx, ' (it may meet the occupant again)'),
      ]),
      findings: samples.truncated
        ? [
            {
              code: 'sample-truncated',
              detail: `the port changed more often than the ${samples.changes.length} changes kept`,
            },
          ]
        : [],
    };
  },
};
