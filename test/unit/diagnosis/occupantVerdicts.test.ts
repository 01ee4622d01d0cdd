import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRunbooksDir } from '../../../src/config/loadRunbooks';
import { loadProtectedAgents } from '../../../src/config/loadProtectedAgents';
import { diagnose } from '../../../src/diagnosis/diagnose';
import type { PortSamples } from '../../../src/domain/ProbeResults';
import { parsePortSamples } from '../../../src/probes/parsers/parsePortSamples';
import { parseSs } from '../../../src/probes/parsers/parseSs';
import { diagnoseInput, runbook } from '../../support/factories/diagnoseInput';
import {
  lbProbe,
  listener,
  nginxTree,
  owner,
  probeResults,
  processInfo,
} from '../../support/factories/probeResults';

/** self-connect, protected-occupant and transient-occupant, and their neighbours in the order. */
const probes = (name: string) =>
  readFileSync(join(__dirname, '../../fixtures/probes', name), 'utf8');
const AGENTS = loadProtectedAgents(defaultRunbooksDir());
const nginxDown = lbProbe({ managedPid: null });

describe('self-connect', () => {
  // ss-self-connect-40002.cmd: captured on the lab
  const sockets = parseSs(probes('ss-self-connect-40002.txt'));
  const client = processInfo({ pid: 25, comm: 'python3', cmdline: 'python3 wait-for-backend' });

  it('a connection to itself in the ephemeral range: self-connect before ephemeral-port-collision', () => {
    const d = diagnose(
      diagnoseInput(probeResults({ port: 40002, sockets, processes: [client], lb: nginxDown })),
    );
    expect(d.verdict).toBe('self-connect');
    expect(d.occupant).toMatchObject({ pid: 25, socketState: 'ESTAB' });
    expect(d.actions.map((a) => a.kind)).toEqual(['kill-occupant', 'reserve-port', 'restart-lb']);
    expect(d.evidence.map((e) => e.output).join('\n')).toContain(
      '127.0.0.1:40002 127.0.0.1:40002 users:(("python3",pid=25,fd=3))',
    );
  });

  it('reserved port: no reserve-port action (it is reserved already)', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 40002,
          sockets,
          processes: [client],
          lb: nginxDown,
          sysctls: { ipLocalReservedPorts: [{ from: 40002, to: 40002 }] },
        }),
      ),
    );
    expect(d.verdict).toBe('self-connect');
    expect(d.actions.map((a) => a.kind)).toEqual(['kill-occupant', 'restart-lb']);
  });

  it('an ordinary outgoing connection on the port stays ephemeral-port-collision', () => {
    const other = sockets.map((s) => ({
      ...s,
      peerAddress: '10.0.0.12:9000',
      raw: s.raw.replace('127.0.0.1:40002 users', '10.0.0.12:9000 users'),
    }));
    const d = diagnose(
      diagnoseInput(
        probeResults({ port: 40002, sockets: other, processes: [client], lb: nginxDown }),
      ),
    );
    expect(d.verdict).toBe('ephemeral-port-collision');
  });
});

describe('protected-occupant', () => {
  const exporter = processInfo({
    pid: 23,
    comm: 'node_exporter',
    exe: '/usr/local/bin/node_exporter',
    cmdline: '/usr/local/bin/node_exporter --web.listen-address=:443 --collector.textfile',
  });
  const input = (proc = exporter, agents = AGENTS) => ({
    ...diagnoseInput(
      probeResults({
        port: 443,
        sockets: [listener(443, [owner(proc.comm, proc.pid, 3)])],
        processes: [proc],
        lb: nginxDown,
      }),
    ),
    protectedAgents: agents,
  });

  it('a listed agent: escalate to its team with the flag, never a kill', () => {
    const d = diagnose(input());
    expect(d.verdict).toBe('protected-occupant');
    expect(d.actions).toHaveLength(1);
    expect(d.actions[0]).toMatchObject({ kind: 'escalate-owner', risk: 'low' });
    expect(d.actions[0]?.title).toBe(
      'Escalate to monitoring: node_exporter (pid 23) listens on port 443',
    );
    expect(d.summary).toContain('its command line sets the port: --web.listen-address=:443');
    expect(d.findings[0]).toEqual({
      code: 'protected-agent',
      detail: 'node_exporter (pid 23) was started with --web.listen-address=:443',
    });
  });

  it('the port set in its config file: said so, still protected', () => {
    const d = diagnose(input({ ...exporter, cmdline: '/usr/local/bin/node_exporter' }));
    expect(d.verdict).toBe('protected-occupant');
    expect(d.summary).toContain(
      'no --web.listen-address on its command line names port 443: its configuration file or default sets it',
    );
  });

  it('matched by executable name when the process renamed itself', () => {
    const d = diagnose(input({ ...exporter, comm: 'exporter-main' }));
    expect(d.verdict).toBe('protected-occupant');
  });

  it('an agent name on a binary in /tmp is suspicious first', () => {
    const d = diagnose(input({ ...exporter, exe: '/tmp/.x/node_exporter' }));
    expect(d.verdict).toBe('suspicious-occupant');
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate-security']);
  });

  it('without a list (or not on it): foreign-listener with a kill', () => {
    expect(diagnose(input(exporter, [])).verdict).toBe('foreign-listener');
    const other = processInfo({ pid: 24, comm: 'python3' });
    expect(diagnose(input(other)).verdict).toBe('foreign-listener');
  });

  it('the managed LB listening beside the agent does not hide the agent', () => {
    const nginx = nginxTree(900, { port: 443 });
    const d = diagnose({
      ...diagnoseInput(
        probeResults({
          port: 443,
          sockets: [nginx.socket, listener(443, [owner('node_exporter', 23, 3)], '[::]:443')],
          processes: [...nginx.processes, exporter],
          lb: lbProbe({ managedPid: 900, managedPidSource: 'pidfile' }),
        }),
        { lb: runbook('nginx') },
      ),
      protectedAgents: AGENTS,
    });
    expect(d.verdict).toBe('protected-occupant');
    expect(d.occupant?.pid).toBe(23);
  });
});

describe('transient-occupant', () => {
  // sample-holding-8080.cmd: python3 held :8080 for one moment of the sampling
  const samples = (): PortSamples => {
    const parsed = parsePortSamples(probes('sample-holding-8080.txt'));
    if (!parsed) throw new Error('fixture did not parse');
    return {
      ...parsed,
      evidence: {
        probe: 'sample',
        command: 'every 100 ms …',
        output: probes('sample-holding-8080.txt'),
      },
    };
  };
  const haproxyDown = lbProbe({ kind: 'haproxy', managedPid: null });

  it('port free when probed, a listener seen while sampling: names who, when, how often', () => {
    const d = diagnose(
      diagnoseInput(probeResults({ port: 8080, lb: haproxyDown, samples: samples() }), {
        lb: runbook('haproxy'),
      }),
    );
    expect(d.verdict).toBe('transient-occupant');
    expect(d.summary).toBe(
      'port 8080 was free when probed, but python3 (pid 54) listened on it once in 5.1 s of sampling ' +
        '(at 2026-12-07T19:54:46.249Z), for at most 280 ms — haproxy is not running',
    );
    expect(d.occupant).toMatchObject({ pid: 54, comm: 'python3', socketState: 'LISTEN' });
    expect(d.actions.map((a) => a.kind)).toEqual(['advice', 'restart-lb']);
    expect(d.evidence[0]?.output).toContain('"python3",pid=54,fd=3');
  });

  it('without samples the same host is port-free-lb-down', () => {
    const d = diagnose(
      diagnoseInput(probeResults({ port: 8080, lb: haproxyDown }), { lb: runbook('haproxy') }),
    );
    expect(d.verdict).toBe('port-free-lb-down');
  });

  it('samples that saw only the managed LB leave it healthy', () => {
    const nginx = nginxTree(900);
    const lbSocket = nginx.socket;
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [lbSocket],
          processes: nginx.processes,
          lb: lbProbe({ managedPid: 900, managedPidSource: 'pidfile' }),
          samples: {
            ...samples(),
            changes: [{ at: 1796673284.8, index: 0, sockets: [lbSocket] }],
          },
        }),
      ),
    );
    expect(d.verdict).toBe('healthy');
  });
});
