import { acceptAlerts, type AcceptAlertsDeps } from '../../../src/ingress/acceptAlerts';
import type { HeldBatch } from '../../../src/heldAlerts/HeldSummary';
import type { AlertEvent } from '../../../src/ingress/alerts/AlertEvent';
import { DEFAULT_ALERT_MAPPING } from '../../../src/config/AlertMappingSchema';
import type {
  FiringOutcome,
  Incident,
  IncidentStore,
  ResolvedOutcome,
} from '../../../src/incidents/Incident';
import type { JobQueue } from '../../../src/queue/JobQueue';
import { hostConfig } from '../../support/factories/hostConfig';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { silentLog } from '../../support/fakes/silentLog';
import { noAudit } from '../../support/noAudit';

/** A store that records the order of state changes and answers like the Redis one. */
class OrderedStore extends MemoryIncidentStore {
  readonly calls: string[] = [];
  private open: Incident | null = null;

  override async recordFiring(
    input: Parameters<IncidentStore['recordFiring']>[0],
  ): Promise<FiringOutcome> {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    this.calls.push(`firing ${input.host}:${input.port}`);
    if (this.open) return { kind: 'repeat', incident: this.open, diagnose: false };
    this.open = this.add({ host: input.host, port: input.port });
    return { kind: 'opened', incident: this.open };
  }

  override async recordResolved(
    input: Parameters<IncidentStore['recordResolved']>[0],
  ): Promise<ResolvedOutcome> {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    this.calls.push(`resolved ${input.host}:${input.port}`);
    const incident = this.open;
    this.open = null;
    return incident ? { kind: 'resolved', incident } : { kind: 'not-open' };
  }
}

/** Opens one incident per host:port; a firing for an open one is a repeat. */
class OpeningStore extends MemoryIncidentStore {
  override recordFiring(
    input: Parameters<IncidentStore['recordFiring']>[0],
  ): Promise<FiringOutcome> {
    const open = [...this.incidents.values()].find(
      (i) => i.host === input.host && i.port === input.port,
    );
    if (open) return Promise.resolve({ kind: 'repeat', incident: open, diagnose: false });
    return Promise.resolve({
      kind: 'opened',
      incident: this.add({ host: input.host, port: input.port }),
    });
  }
}

function setup() {
  const incidents = new OrderedStore();
  const queued: string[] = [];
  const queue: JobQueue = {
    enqueueDiagnose: (id, opts) =>
      Promise.resolve(void queued.push(`${opts?.first ? 'first' : 'again'} ${id}`)),
    enqueueRefreshRoot: (id) => Promise.resolve(void queued.push(`refresh ${id}`)),
    enqueueFleetCheck: () => Promise.reject(new Error('alerts never start fleet checks')),
    counts: () => Promise.reject(new Error('not used by these tests')),
    close: () => Promise.resolve(),
  };
  const deps: AcceptAlertsDeps = {
    incidents,
    queue,
    inventory: { path: '/i.yaml', hosts: [hostConfig()], haGroups: [] },
    mapping: DEFAULT_ALERT_MAPPING,
    channel: 'C1',
    rediagnoseIntervalMs: 60_000,
    now: () => 1,
    log: silentLog,
    audit: noAudit,
  };
  return { deps, incidents, queued };
}

const alert = (status: 'firing' | 'resolved', instance = '10.0.0.11:80'): AlertEvent => ({
  source: 'alertmanager',
  status,
  labels: { instance },
  summary: 'down',
  startsAt: null,
  endsAt: null,
  fingerprint: null,
});

describe('acceptAlerts', () => {
  it('keeps payload order for one host:port (firing, then resolved)', async () => {
    for (let run = 0; run < 20; run++) {
      const { deps, incidents } = setup();
      const results = await acceptAlerts(deps, [alert('firing'), alert('resolved')]);
      expect(incidents.calls).toEqual(['firing lb-01:80', 'resolved lb-01:80']);
      expect(results.map((r) => r.outcome)).toEqual(['opened', 'resolved']);
    }
  });

  it('answers each alert in its own slot, ignoring unknown hosts with a reason', async () => {
    const { deps } = setup();
    const results = await acceptAlerts(deps, [alert('firing', '10.9.9.9:80'), alert('firing')]);
    expect(results[0]).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringContaining('10.9.9.9') as unknown,
    });
    expect(results[1]).toMatchObject({ outcome: 'opened', host: 'lb-01', port: 80 });
  });

  it('a repeat before the root exists asks again for the (idempotent) first diagnosis', async () => {
    const { deps, queued } = setup();
    await acceptAlerts(deps, [alert('firing')]);
    await acceptAlerts(deps, [alert('firing')]);
    expect(queued).toEqual(['first INC-1', 'first INC-1', 'refresh INC-1']);
  });

  it('caps the alerts of one payload and audits every set-aside alert in ONE entry', async () => {
    const { deps, queued } = setup();
    const audited: Parameters<typeof deps.audit>[0][] = [];
    const warned: unknown[] = [];
    const many = [
      ...Array.from({ length: 150 }, (_, i) => alert('firing', `10.9.${i >> 8}.${i & 255}:80`)),
      alert('firing'),
    ];
    const results = await acceptAlerts(
      {
        ...deps,
        audit: (e) => Promise.resolve(void audited.push(e)),
        log: { ...silentLog, warn: (obj: unknown) => void warned.push(obj) },
      },
      many,
    );
    expect(results).toHaveLength(151);
    expect(results.filter((r) => r.outcome === 'ignored')).toHaveLength(151);
    expect(results[150]).toMatchObject({ reason: 'over the cap of 100 alerts per payload' });
    expect(queued).toEqual([]);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      type: 'alert.ignored',
      actor: 'alertmanager',
      incidentId: null,
      detail: {
        count: 151,
        reasons: expect.stringMatching(
          /^51× over the cap of 100 alerts per payload; 1× host '10\.9\.0\.0' is not in the inventory/,
        ) as unknown,
      },
    });
    expect(warned).toHaveLength(1);
  });

  it('hands the alerts the new-incident cap held to announce, once per payload', async () => {
    const { deps } = setup();
    let tokens = 3;
    const bucket = { reserve: () => Promise.resolve(tokens-- > 0 ? 0 : null) };
    const announced: HeldBatch[] = [];
    const capped: AcceptAlertsDeps = {
      ...deps,
      incidents: new OpeningStore(),
      now: () => 1_700_000_000_000,
      newIncidentCap: {
        bucket,
        perMinute: 3,
        announce: (b) => Promise.resolve(void announced.push(b)),
      },
    };
    const ports = Array.from({ length: 10 }, (_, i) => 8001 + i);
    const results = await acceptAlerts(
      capped,
      ports.map((p) => alert('firing', `10.0.0.11:${p}`)),
    );
    const held = results.filter((r) => r.outcome === 'held');
    expect(held).toHaveLength(7);
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({
      source: 'alertmanager',
      channel: 'C1',
      perMinute: 3,
      atMs: 1_700_000_000_000,
    });
    expect(announced[0]?.targets).toHaveLength(7);
    expect(new Set(announced[0]?.targets.map((t) => `${t.host}:${t.port}`))).toEqual(
      new Set(held.map((r) => `${r.host}:${r.port}`)),
    );

    // Nothing held (repeats of open incidents only): nothing announced.
    const opened = results.filter((r) => r.outcome === 'opened').map((r) => r.port ?? 0);
    await acceptAlerts(
      capped,
      opened.map((p) => alert('firing', `10.0.0.11:${p}`)),
    );
    expect(announced).toHaveLength(1);
  });
});
