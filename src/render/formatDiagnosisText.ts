import type { Diagnosis, Occupant } from '../domain/diagnosis';

const EVIDENCE_LINES = 12;

/** The readable report `portbot diagnose` prints by default: verdict, who, why, what to do, evidence. */
export function formatDiagnosisText(d: Diagnosis): string {
  const out: string[] = [];
  out.push(`${d.host}:${d.port}  ${d.verdict.toUpperCase()}  (${d.durationMs} ms)`);
  out.push(`  ${d.summary}`);
  if (d.occupant) out.push('', ...occupantLines(d.occupant));
  if (d.lb) {
    const state = d.lb.running ? `running (pid ${d.lb.pid ?? '?'})` : 'not running';
    out.push(
      `LB        ${d.lb.kind}: ${state}, ${d.lb.listening ? 'listening' : 'not listening'} on ${d.port}`,
    );
  }
  if (d.ha) {
    out.push(
      `HA        ${d.ha.group}: ${d.ha.role}, VIP ${d.ha.vip} ${d.ha.holdsVip ? 'held here' : 'not held here'}`,
    );
  }
  if (d.findings.length > 0) {
    out.push('', 'Findings');
    for (const f of d.findings) out.push(`  - ${f.code}: ${oneLine(f.detail)}`);
  }
  out.push('', 'What to do');
  if (d.actions.length === 0) out.push('  - nothing to do');
  for (const a of d.actions) {
    out.push(`  - [${a.risk}] ${a.title}`);
    if (a.detail) out.push(...a.detail.split('\n').map((l) => `      ${l}`));
  }
  if (d.evidence.length > 0) {
    out.push('', 'Evidence');
    for (const e of d.evidence) {
      out.push(`  $ ${e.command}`);
      const lines = e.output.replace(/\n+$/, '').split('\n');
      for (const l of lines.slice(0, EVIDENCE_LINES)) out.push(`    ${l}`);
      if (lines.length > EVIDENCE_LINES)
        out.push(`    … ${lines.length - EVIDENCE_LINES} more lines (--json has all)`);
    }
  }
  return out.join('\n');
}

function occupantLines(o: Occupant): string[] {
  const who = [
    `pid ${o.pid}`,
    o.ppid !== null ? `ppid ${o.ppid}` : null,
    `user ${o.user ?? o.uid ?? '?'}`,
  ]
    .filter((x) => x !== null)
    .join(', ');
  const lines = [`Holder    ${o.comm} (${who})${o.startedAt ? ` since ${o.startedAt}` : ''}`];
  if (o.exe) lines.push(`          exe ${o.exe}`);
  if (o.cmdline) lines.push(`          cmd ${oneLine(o.cmdline)}`);
  lines.push(`          socket ${o.socketState} ${o.localAddress}`);
  if (o.unit) lines.push(`          unit ${o.unit}`);
  if (o.container) lines.push(`          container ${o.container}`);
  return lines;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ⏎ ');
}
