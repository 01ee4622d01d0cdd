import type { HaGroupConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import type { Runbook } from '../domain/Runbook';
import type { SweepProbe } from '../domain/SweepProbe';
import { haProbe } from './assembleProbeResults';
import type { SweepCatalogueParams } from './catalogue';
import { describeSweepSection } from './catalogue';
import { parseHaproxyBinds } from './parsers/parseHaproxyBinds';
import { parseK8sProcesses } from './parsers/parseK8sProcesses';
import { parseSocketUnits } from './parsers/parseSocketUnits';
import { flattenNginxListens, parseNginxListens } from './parsers/parseNginxListens';
import { parseSs } from './parsers/parseSs';
import { parseConntrack, parseSysctls } from './parsers/parseSysctls';
import { capEvidence, firstLine, keyValues, withoutSudoNoise } from './sectionText';
import type { Section } from './splitSections';

type Missing = SweepProbe['missing'];

export interface AssembleSweepInput {
  host: string;
  params: SweepCatalogueParams;
  lb: Runbook | null;
  ha: HaGroupConfig | null;
  sections: Map<string, Section>;
}

function listeners(sections: Map<string, Section>, missing: Missing): SweepProbe['listeners'] {
  const ss = sections.get('listen');
  const fallback = sections.get('listen-nosudo');
  const used = ss?.exitCode === 0 ? ss : fallback?.exitCode === 0 ? fallback : null;
  if (!used) {
    const detail = firstLine(fallback?.output ?? ss?.output ?? '') || 'no ss output';
    throw new PortbotError('PROBE_FAILED', `ss failed on the host: ${detail}`);
  }
  if (used === fallback)
    missing.push({
      code: 'owners-hidden',
      detail: `sudo ss failed: ${firstLine(ss?.output ?? '')}`,
    });
  return parseSs(used.output);
}

/** `include` patterns → files, and each file's text, from the `includes` and `inc.N` sections. */
function includedTexts(sections: Map<string, Section>): {
  textsOf: (pattern: string) => string[];
  unread: string[];
} {
  const files = new Map<string, string>();
  for (const [name, s] of sections) {
    if (!/^inc\.\d+$/.test(name) || s.exitCode !== 0) continue;
    const nl = s.output.indexOf('\n');
    const path = nl < 0 ? s.output : s.output.slice(0, nl);
    files.set(path, nl < 0 ? '' : s.output.slice(nl + 1));
  }
  const byPattern = new Map<string, string[]>();
  for (const line of (sections.get('includes')?.output ?? '').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const pattern = line.slice(0, tab);
    byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), line.slice(tab + 1)]);
  }
  // Matched but not read (past SWEEP_LIMITS, or unreadable): their listens are unknown.
  const unread = [...new Set([...byPattern.values()].flat())].filter((p) => !files.has(p));
  return {
    textsOf: (pattern) => (byPattern.get(pattern) ?? []).flatMap((p) => files.get(p) ?? []),
    unread,
  };
}

function configListens(
  sections: Map<string, Section>,
  lb: Runbook,
  missing: Missing,
): string[] | null {
  const main = sections.get('config');
  if (!main || main.exitCode !== 0) {
    missing.push({
      code: 'lb-config-unreadable',
      detail: main ? firstLine(main.output) : lb.configFile,
    });
    return null;
  }
  const text = withoutSudoNoise(main.output);
  if (lb.configListen !== 'nginx-listen') return parseHaproxyBinds(text).map((b) => b.address);
  const included = includedTexts(sections);
  if (included.unread.length > 0)
    missing.push({
      code: 'lb-config-includes-unread',
      detail: `${included.unread.length} included file(s) not read, first ${included.unread[0] ?? ''}`,
    });
  return flattenNginxListens(parseNginxListens(text, included.textsOf));
}

/** Pure: the sections of one sweep batch become a SweepProbe. */
export function assembleSweepProbe(input: AssembleSweepInput): SweepProbe {
  const { sections } = input;
  const missing: Missing = [];
  const systemd = keyValues(sections.get('meta')?.output ?? '').get('systemd') === '1';
  const conntrackSection = sections.get('conntrack');
  const conntrack =
    conntrackSection?.exitCode === 0 ? parseConntrack(conntrackSection.output) : null;
  if (!conntrack)
    missing.push({
      code: 'no-conntrack',
      detail: firstLine(conntrackSection?.output ?? '') || 'not probed',
    });
  const inUse = keyValues(sections.get('ephemeral')?.output ?? '').get('inuse') ?? '';
  const socketsSection = sections.get('sockets');
  if (systemd && socketsSection?.exitCode !== 0)
    missing.push({
      code: 'socket-units-unknown',
      detail: firstLine(socketsSection?.output ?? '') || 'not listed',
    });
  const evidence = [...sections.values()]
    .filter((s) => !/^inc\.\d+$/.test(s.name))
    .map((s) => ({
      probe: s.name,
      command: describeSweepSection(s.name, input.params),
      output: capEvidence(s.name, withoutSudoNoise(s.output), s.exitCode),
    }));
  return {
    host: input.host,
    systemd,
    sysctls: parseSysctls(sections.get('sysctl')?.output ?? ''),
    conntrack,
    listeners: listeners(sections, missing),
    ephemeralInUse: /^\d+$/.test(inUse) ? Number(inUse) : null,
    configListens: input.lb ? configListens(sections, input.lb, missing) : null,
    socketUnits: socketsSection?.exitCode === 0 ? parseSocketUnits(socketsSection.output) : null,
    k8s: parseK8sProcesses(sections.get('k8s')?.output ?? ''),
    ha: input.ha ? haProbe(sections, input.ha, missing) : null,
    missing,
    evidence,
  };
}
