import type { Evidence } from '../domain/diagnosis';
import type { ProbeResults } from '../domain/ProbeResults';

/**
 * The lines of the probes' recorded output that contain one of `needles`, grouped per probe,
 * so a verdict shows what it rests on rather than every probe's full output.
 */
export function pickEvidence(probes: ProbeResults, needles: readonly string[]): Evidence[] {
  const wanted = needles.map((n) => n.trim()).filter((n) => n.length > 0);
  if (wanted.length === 0) return [];
  const picked: Evidence[] = [];
  for (const e of probes.evidence) {
    const lines = e.output.split('\n').filter((line) => wanted.some((n) => line.includes(n)));
    if (lines.length > 0)
      picked.push({ probe: e.probe, command: e.command, output: lines.join('\n') });
  }
  return picked;
}

/**
 * What the probes recorded about these pids: per-process sections named `<what>.<pid>` (stat,
 * exe, cmdline, cgroup, status) whole, and lines elsewhere that name the pid (`pid=4123` in ss).
 */
export function pickProcessEvidence(probes: ProbeResults, pids: readonly number[]): Evidence[] {
  if (pids.length === 0) return [];
  const own = new RegExp(`\\.(${pids.join('|')})$`);
  const mention = new RegExp(`(pid=(${pids.join('|')})\\b|/proc/(${pids.join('|')})/)`);
  const picked: Evidence[] = [];
  for (const e of probes.evidence) {
    if (own.test(e.probe)) {
      // cmdline is NUL-separated on the wire; show it the way ps would.
      picked.push({
        probe: e.probe,
        command: e.command,
        output: e.output.replace(/\0/g, ' ').trimEnd(),
      });
      continue;
    }
    const lines = e.output.split('\n').filter((line) => mention.test(line));
    if (lines.length > 0)
      picked.push({ probe: e.probe, command: e.command, output: lines.join('\n') });
  }
  return picked;
}

/** Lines matching `re` (e.g. listen/bind directives on the port in the config dump). */
export function pickEvidenceMatching(probes: ProbeResults, re: RegExp): Evidence[] {
  const picked: Evidence[] = [];
  for (const e of probes.evidence) {
    const lines = e.output.split('\n').filter((line) => re.test(line));
    if (lines.length > 0)
      picked.push({ probe: e.probe, command: e.command, output: lines.join('\n') });
  }
  return picked;
}

/** How the managed pid was found: the probe's `mainpid=`, `pidfile=`, `alive=`, `dead=` lines. */
export function lbStateEvidence(probes: ProbeResults): Evidence[] {
  return pickEvidenceMatching(probes, /^(mainpid|pidfile|pidfile-unreadable|alive|dead)\b/);
}

/** Evidence of an absence (nothing listens): the socket probe's entries, whole (they are port-filtered). */
export function socketProbeEvidence(probes: ProbeResults): Evidence[] {
  return probes.evidence.filter((e) => /^ss\b|sock|listen/i.test(e.probe));
}

/** Merge evidence lists, one entry per probe+command, lines deduplicated, first-seen order. */
export function mergeEvidence(...lists: Evidence[][]): Evidence[] {
  const byKey = new Map<string, { probe: string; command: string; lines: string[] }>();
  for (const e of lists.flat()) {
    const key = `${e.probe}\u0000${e.command}`;
    const entry = byKey.get(key) ?? { probe: e.probe, command: e.command, lines: [] };
    for (const line of e.output.split('\n'))
      if (!entry.lines.includes(line)) entry.lines.push(line);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map((e) => ({
    probe: e.probe,
    command: e.command,
    output: e.lines.join('\n'),
  }));
}

/** Last resort so no verdict is without evidence: a fact portbot derived, labelled as such. */
export function derivedEvidence(probe: string, output: string): Evidence {
  return { probe, command: '(derived by portbot from the probes above)', output };
}
