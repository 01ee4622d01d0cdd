import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findBindErrors } from '../../../src/diagnosis/findBindErrors';
import { findDuplicateListens } from '../../../src/diagnosis/findDuplicateListens';
import { normalizeListen, portOf } from '../../../src/probes/normalizeListen';
import { ancestorsOf, isSelfOrDescendant } from '../../../src/diagnosis/processTree';
import { orderedRules } from '../../../src/diagnosis/rules/orderedRules';
import { startedAt } from '../../../src/diagnosis/toOccupant';
import { VERDICTS } from '../../../src/domain/verdict';
import { runbook } from '../../support/factories/diagnoseInput';
import { processInfo } from '../../support/factories/probeResults';

describe('rule order', () => {
  it('follows the verdict precedence of docs/reference/verdicts.md after unreachable', () => {
    expect(orderedRules.map((r) => r.verdict)).toEqual(VERDICTS.slice(1));
  });
});

describe('normalizeListen', () => {
  it.each([
    ['80', '0.0.0.0:80'],
    ['*:80', '0.0.0.0:80'],
    [':80', '0.0.0.0:80'],
    ['0.0.0.0:80', '0.0.0.0:80'],
    ['[::]:80', '[::]:80'],
    [':::80', '[::]:80'],
    ['ipv4@10.0.0.1:443', '10.0.0.1:443'],
    ['80 default_server', '0.0.0.0:80'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeListen(raw)).toBe(expected);
  });

  it('keeps IPv4 and IPv6 wildcards apart', () => {
    expect(findDuplicateListens(['*:80', '[::]:80'])).toEqual([]);
    expect(findDuplicateListens(['*:80', '[::]:80', ':80'])).toEqual(['0.0.0.0:80']);
  });
});

describe('findBindErrors', () => {
  it('reads nginx and HAProxy lines (measured text) and the port in the address group', () => {
    const nginx = findBindErrors(
      [
        'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)',
        'nginx: [emerg] still could not bind()',
      ],
      runbook('nginx').logPatterns,
      80,
    );
    expect(nginx).toEqual([
      {
        kind: 'addressInUse',
        address: '0.0.0.0:80',
        port: 80,
        line: 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)',
        index: 0,
      },
    ]);
    const haproxy = findBindErrors(
      [
        '[ALERT] (444) : Binding [FILE:12] for frontend fe_http: cannot bind socket (Address already in use) for [0.0.0.0:80]',
      ],
      runbook('haproxy').logPatterns,
      80,
    );
    expect(haproxy.map((e) => e.kind)).toEqual(['addressInUse']);
  });

  it.each([
    ['nginx', 'nginx-error-log-bind-failures.txt', 7070, ['addressInUse']],
    ['nginx', 'nginx-error-log-bind-failures.txt', 8099, ['addressNotAvailable']],
    ['nginx', 'nginx-error-log-bind-failures.txt', 81, ['permissionDenied']],
    ['nginx', 'nginx-start-permission-denied.txt', 81, ['permissionDenied']],
    ['haproxy', 'haproxy-start-addr-in-use.txt', 7070, ['addressInUse', 'addressInUse']],
    ['haproxy', 'haproxy-start-addr-not-available.txt', 8099, ['addressNotAvailable']],
    ['haproxy', 'haproxy-start-permission-denied.txt', 81, ['permissionDenied']],
  ] as const)('%s runbook on captured %s, port %d → %j', (kind, file, port, kinds) => {
    const lines = readFileSync(path.join(__dirname, '../../fixtures/probes', file), 'utf8').split(
      '\n',
    );
    expect(findBindErrors(lines, runbook(kind).logPatterns, port).map((e) => e.kind)).toEqual(
      kinds,
    );
  });

  it('an open() EACCES in the nginx log is not a bind failure', () => {
    const line =
      '2026/11/21 23:50:05 [emerg] 86#86: open() "/var/log/nginx/access.log" failed (13: Permission denied)';
    expect(findBindErrors([line], runbook('nginx').logPatterns, 80)).toEqual([]);
  });

  it('takes the port after the last colon', () => {
    expect([
      portOf('[::]:443'),
      portOf(':::8080'),
      portOf('unix:/run/x.sock'),
      portOf('*:80'),
    ]).toEqual([443, 8080, null, 80]);
  });
});

describe('process tree', () => {
  const procs = Object.fromEntries(
    [
      processInfo({ pid: 1, ppid: 0, comm: 'init' }),
      processInfo({ pid: 10, ppid: 1, comm: 'a' }),
      processInfo({ pid: 11, ppid: 10, comm: 'b' }),
    ].map((p) => [p.pid, p]),
  );
  it('walks the ppid chain up to pid 1', () => {
    expect(ancestorsOf(11, procs).map((p) => p.pid)).toEqual([10, 1]);
    expect(isSelfOrDescendant(11, 10, procs)).toBe(true);
    expect(isSelfOrDescendant(10, 11, procs)).toBe(false);
  });
  it('stops on a ppid loop instead of hanging', () => {
    const loop = {
      5: processInfo({ pid: 5, ppid: 6, comm: 'x' }),
      6: processInfo({ pid: 6, ppid: 5, comm: 'y' }),
    };
    expect(ancestorsOf(5, loop).map((p) => p.pid)).toEqual([6]);
  });
});

describe('startedAt', () => {
  it('is boot time plus ticks / CLK_TCK, ISO UTC to the second', () => {
    expect(startedAt(250, 1_700_000_000, 100)).toBe('2023-11-14T22:13:22Z');
    expect(startedAt(250, null, 100)).toBeNull();
  });
});
