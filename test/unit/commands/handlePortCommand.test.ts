import { handlePortCommand, type PortCommandDeps } from '../../../src/commands/handlePortCommand';
import { HOST_CHECKS_PER_WINDOW } from '../../../src/commands/allowHostCheck';
import { READ_ONLY_POLICY } from '../../../src/config/PolicySchema';
import type { Policy } from '../../../src/domain/Policy';
import type { Inventory } from '../../../src/domain/HostConfig';
import type { JobQueue } from '../../../src/queue/JobQueue';
import type { SweepJobData } from '../../../src/queue/sweepQueue';
import { MemoryAuditLog } from '../../support/fakes/MemoryAuditLog';
import { MemoryFleetCheckStore } from '../../support/fakes/MemoryFleetCheckStore';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { RecordingExportSlack } from '../../support/fakes/RecordingExportSlack';
import { silentLog } from '../../support/fakes/silentLog';
import { hostConfig } from '../../support/factories/hostConfig';

const host = (name: string) => hostConfig({ name, address: `10.0.0.${name.slice(-1)}` });
const inventory: Inventory = {
  path: '/inv.yaml',
  hosts: [host('lb-1'), host('lb-2'), host('lb-3')],
  haGroups: [{ name: 'edge', kind: 'keepalived', vip: '10.0.0.100', members: ['lb-1', 'lb-2'] }],
};

function setup(policy: Policy = READ_ONLY_POLICY) {
  const queued: string[] = [];
  const queue: JobQueue = {
    enqueueDiagnose: (id) => Promise.resolve(void queued.push(id)),
    enqueueFleetCheck: (id, hosts) => Promise.resolve(void queued.push(`${id} ${hosts.join(',')}`)),
    enqueueRefreshRoot: () => Promise.resolve(),
    counts: () => Promise.reject(new Error('status comes from deps.status')),
    close: () => Promise.resolve(),
  };
  const incidents = new MemoryIncidentStore();
  const checks = new MemoryFleetCheckStore();
  const audited: string[] = [];
  const sweeps: SweepJobData[] = [];
  const deps: PortCommandDeps = {
    // A fleet check's target is its scope in detail (host stays null: it is not an incident).
    audit: (e) => {
      const target =
        e.host ?? (typeof e.detail.scope === 'string' ? `scope=${e.detail.scope}` : '-');
      return Promise.resolve(void audited.push(`${e.type} ${e.actor} ${target}`));
    },
    policy,
    inventory,
    incidents,
    checks,
    queue,
    sweeps: { enqueue: (d) => Promise.resolve(void sweeps.push(d)) },
    now: () => 1,
    log: silentLog,
    status: () => Promise.resolve('2 open'),
    auditExport: {
      auditLog: new MemoryAuditLog(),
      userGroups: () => Promise.resolve([]),
      slack: new RecordingExportSlack(),
      maxBytes: 1024 * 1024,
    },
  };
  return { deps, queued, incidents, checks, audited, sweeps };
}

const req = (text: string, userId = 'U1', channelId = 'C1') => ({ text, userId, channelId });

describe('handlePortCommand', () => {
  it('check <host> <port>: acks empty, then opens a check and queues one diagnosis', async () => {
    const { deps, queued, incidents, audited } = setup();
    const plan = handlePortCommand(deps, req('check lb-1 443'));
    expect(plan.reply).toBeUndefined();
    expect(queued).toEqual([]);
    await plan.afterAck?.();
    expect(queued).toHaveLength(1);
    expect(audited).toEqual(['command.run U1 lb-1']);
    expect([...incidents.incidents.values()][0]).toMatchObject({
      host: 'lb-1',
      port: 443,
      channel: 'C1',
      requestedBy: 'U1',
    });
  });

  it('check group:<name> and check all queue ONE fleet check job (one summary thread, not one per host)', async () => {
    const a = setup();
    await handlePortCommand(a.deps, req('check group:edge 80')).afterAck?.();
    expect(a.queued).toEqual(['FLEET-1 lb-1,lb-2']);
    expect([...a.checks.checks.values()][0]).toMatchObject({
      scope: { kind: 'group', group: 'edge' },
      port: 80,
      channel: 'C1',
      requestedBy: 'U1',
    });
    // A fleet check is not an incident: no record with a made-up host name.
    expect(a.incidents.incidents.size).toBe(0);
    const b = setup();
    await handlePortCommand(b.deps, req('check all 80')).afterAck?.();
    expect(b.queued).toEqual(['FLEET-1 lb-1,lb-2,lb-3']);
    expect([...b.checks.checks.values()][0]?.scope).toEqual({ kind: 'all' });
    expect(b.audited).toEqual(['command.run U1 scope=all']);
  });

  it.each([
    ['check lb-9 80', 'unknown host "lb-9" (known: lb-1, lb-2, lb-3)'],
    ['check group:nope 80', 'unknown haGroup "nope"'],
    ['check lb-1 70000', 'port must be an integer 1-65535'],
    ['frobnicate', ''],
    ['check lb-1 80; touch /tmp/pwned', ''],
    ['check $(id) 80', ''],
  ])('%j gets an ephemeral error and queues nothing', (text, message) => {
    const { deps, queued, audited } = setup();
    const plan = handlePortCommand(deps, req(text));
    expect(plan.afterAck).toBeUndefined();
    expect(plan.reply?.text).toContain(message);
    expect(plan.reply?.text).toMatch(/^⚠️/);
    expect(queued).toEqual([]);
    expect(audited).toEqual(['command.refused U1 -']);
  });

  it('refuses users and channels outside the policy', () => {
    const policy: Policy = { commands: { users: ['U1'], channels: ['C1'] } };
    const { deps } = setup(policy);
    expect(handlePortCommand(deps, req('check lb-1 80', 'U2')).reply?.text).toContain(
      "can't run /port",
    );
    expect(handlePortCommand(deps, req('check lb-1 80', 'U1', 'C9')).reply?.text).toContain(
      "can't run /port",
    );
    expect(handlePortCommand(deps, req('check lb-1 80', 'U1', 'C1')).reply).toBeUndefined();
  });

  it('help answers at once; status answers after the ack', async () => {
    const { deps } = setup();
    expect(handlePortCommand(deps, req('help')).reply?.text).toContain('/port check');
    const status = handlePortCommand(deps, req('status'));
    expect(status.reply).toBeUndefined();
    expect((await status.afterAck?.())?.text).toContain('2 open');
  });
});

describe('fleet checks', () => {
  it('run at most once per person per cooldown; other people and single hosts are not held back', async () => {
    const { deps, queued, audited } = setup();
    expect(await handlePortCommand(deps, req('check all 80')).afterAck?.()).toBeUndefined();
    const again = await handlePortCommand(deps, req('check group:edge 80')).afterAck?.();
    expect(again?.text).toContain(
      'a fleet check (group or all) runs at most once every 30 s per person',
    );
    expect(await handlePortCommand(deps, req('check all 80', 'U2')).afterAck?.()).toBeUndefined();
    await handlePortCommand(deps, req('check lb-1 80')).afterAck?.();
    expect(queued).toHaveLength(3);
    expect(audited.filter((a) => a.startsWith('command.refused'))).toEqual([
      'command.refused U1 scope=group:edge',
    ]);
  });
});

describe('single-host checks', () => {
  it('are limited per person per minute; the refusal is audited and queues nothing', async () => {
    const { deps, queued, audited } = setup();
    for (let i = 0; i < HOST_CHECKS_PER_WINDOW; i += 1) {
      expect(await handlePortCommand(deps, req('check lb-1 80')).afterAck?.()).toBeUndefined();
    }
    const refused = await handlePortCommand(deps, req('check lb-2 80')).afterAck?.();
    expect(refused?.text).toContain('at most 6 single-host checks per person every 60 s');
    expect(await handlePortCommand(deps, req('check lb-2 80', 'U2')).afterAck?.()).toBeUndefined();
    expect(queued).toHaveLength(HOST_CHECKS_PER_WINDOW + 1);
    expect(audited.filter((a) => a.startsWith('command.refused'))).toEqual([
      'command.refused U1 lb-2',
    ]);
  });
});

describe('/port sweep', () => {
  it('sweep, sweep all and sweep group:<name> queue one sweep job, digest to this channel', async () => {
    const a = setup();
    const all = await handlePortCommand(a.deps, req('sweep', 'U1', 'C9')).afterAck?.();
    expect(a.sweeps).toEqual([{ scope: { kind: 'all' }, channel: 'C9', requestedBy: 'U1' }]);
    expect(JSON.stringify(all)).toContain('Sweeping 3 hosts (all)');
    await handlePortCommand(a.deps, req('sweep group:edge', 'U2')).afterAck?.();
    await handlePortCommand(a.deps, req('sweep ALL', 'U3')).afterAck?.();
    expect(a.sweeps.map((s) => s.scope)).toEqual([
      { kind: 'all' },
      { kind: 'group', group: 'edge' },
      { kind: 'all' },
    ]);
    expect(a.audited).toEqual([
      'command.run U1 scope=all',
      'command.run U2 scope=group:edge',
      'command.run U3 scope=all',
    ]);
    expect(a.queued).toEqual([]);
  });

  it('an unknown group or stray words are refused at once; a second sweep within the cooldown too', async () => {
    const a = setup();
    const unknown = handlePortCommand(a.deps, req('sweep group:nope'));
    expect(JSON.stringify(unknown.reply)).toContain('unknown haGroup');
    expect(unknown.afterAck).toBeUndefined();
    const stray = handlePortCommand(a.deps, req('sweep lb-1 80'));
    expect(JSON.stringify(stray.reply)).toContain('too many words after sweep');
    const host = handlePortCommand(a.deps, req('sweep lb-1'));
    expect(JSON.stringify(host.reply)).toContain('sweep takes all or group:');
    await handlePortCommand(a.deps, req('sweep')).afterAck?.();
    const again = await handlePortCommand(a.deps, req('sweep group:edge')).afterAck?.();
    expect(JSON.stringify(again)).toContain('at most once every 60 s per person');
    expect(a.sweeps).toHaveLength(1);
  });
});
