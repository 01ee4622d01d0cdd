import type { LbProbe } from '../domain/ProbeResults';
import type { Runbook } from '../domain/Runbook';
import { LIMITS } from './catalogue';
import { flattenNginxListens, parseNginxListens } from './parsers/parseNginxListens';
import { parseHaproxyBinds } from './parsers/parseHaproxyBinds';
import type { Section } from './splitSections';
import { firstLine, keyValues, sudoDenied, withoutSudoNoise } from './sectionText';

type Missing = { code: string; detail: string }[];

const NO_JOURNAL = /No journal files were found|^-- No entries --$/m;

function logLines(text: string): string[] {
  const lines = withoutSudoNoise(text)
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('-- '));
  return lines.slice(-LIMITS.logLines);
}

function managedPid(kv: Map<string, string>): Pick<LbProbe, 'managedPid' | 'managedPidSource'> {
  const alive = kv.get('alive');
  if (alive === undefined || !/^\d+$/.test(alive))
    return { managedPid: null, managedPidSource: null };
  const main = kv.get('mainpid');
  const fromSystemd = main !== undefined && main === alive;
  return { managedPid: Number(alive), managedPidSource: fromSystemd ? 'systemd' : 'pidfile' };
}

function logs(
  sections: Map<string, Section>,
  missing: Missing,
): Pick<LbProbe, 'logLines' | 'logSource'> {
  const journal = sections.get('log.journal');
  if (journal && journal.exitCode === 0 && !NO_JOURNAL.test(journal.output)) {
    return { logLines: logLines(journal.output), logSource: 'journald' };
  }
  if (journal)
    missing.push({ code: 'no-journal', detail: firstLine(journal.output) || 'journal empty' });
  const file = sections.get('log.file');
  if (file && file.exitCode === 0) return { logLines: logLines(file.output), logSource: 'file' };
  missing.push({
    code: 'lb-log-unreadable',
    detail: file ? firstLine(file.output) || `exit ${file.exitCode ?? '?'}` : 'log not probed',
  });
  return { logLines: [], logSource: null };
}

function configTest(
  section: Section | undefined,
  binaryPresent: boolean,
  missing: Missing,
): LbProbe['configTest'] {
  if (!section || !binaryPresent) return null;
  if (sudoDenied(section)) {
    missing.push({ code: 'config-test-denied', detail: firstLine(section.output) });
    return null;
  }
  if (section.exitCode === null || section.exitCode === 126 || section.exitCode === 127) {
    missing.push({ code: 'config-test-not-run', detail: firstLine(section.output) });
    return null;
  }
  return { exitCode: section.exitCode, output: withoutSudoNoise(section.output).trim() };
}

function configListens(section: Section | undefined, lb: Runbook, missing: Missing): string[] {
  if (!section || section.exitCode !== 0) {
    missing.push({
      code: 'lb-config-unreadable',
      detail: section ? firstLine(section.output) : lb.configFile,
    });
    return [];
  }
  const text = withoutSudoNoise(section.output);
  return lb.configListen === 'nginx-listen'
    ? flattenNginxListens(parseNginxListens(text))
    : parseHaproxyBinds(text).map((b) => b.address);
}

export function assembleLbProbe(
  sections: Map<string, Section>,
  lb: Runbook,
  missing: Missing,
): LbProbe {
  const kv = keyValues(sections.get('lb')?.output ?? '');
  const binaryPresent = kv.get('binary') === 'present';
  if (!binaryPresent) missing.push({ code: 'lb-binary-missing', detail: `${lb.binary} not found` });
  const managed = managedPid(kv);
  const lbText = sections.get('lb')?.output ?? '';
  if (managed.managedPid === null && /^pidfile-unreadable$/m.test(lbText) && !kv.has('mainpid')) {
    missing.push({
      code: 'managed-pid-unknown',
      detail: `${lb.pidFile} exists but cannot be read and systemd does not run: which ${lb.kind} is the managed one is unknown`,
    });
  }
  return {
    kind: lb.kind,
    binaryPresent,
    ...managed,
    ...logs(sections, missing),
    configTest: configTest(sections.get('configtest'), binaryPresent, missing),
    configListens: configListens(sections.get('config'), lb, missing),
    oldbinPid: /^\d+$/.test(kv.get('oldbin') ?? '') ? Number(kv.get('oldbin')) : null,
  };
}
