import { noAudit } from '../../support/noAudit';
import { processFleetCheckJob } from '../../../src/worker/processFleetCheckJob';
import { MemoryFleetCheckStore } from '../../support/fakes/MemoryFleetCheckStore';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';
import { diagnosisFixture } from '../../support/diagnosisFixture';

const fixture = diagnosisFixture;

const edgeCheck = {
  scope: { kind: 'group', group: 'edge' },
  port: 80,
  channel: 'C1',
  requestedBy: 'U1',
  now: 0,
} as const;

function setup(hostCount: number) {
  const claims = new MemoryIncidentStore();
  const checks = new MemoryFleetCheckStore();
  const slack = new RecordingSlack();
  const verdicts = ['healthy', 'foreign-listener', 'unreachable'];
  const hosts = Array.from({ length: hostCount }, (_, i) => `lb-${String(i).padStart(2, '0')}`);
  const deps = {
    checks,
    replies: claims,
    history: slack,
    slack,
    log: silentLog,
    audit: noAudit,
    diagnose: (host: string, port: number) => {
      const d = fixture(verdicts[hosts.indexOf(host) % verdicts.length] as string);
      return Promise.resolve({ ...d, host, port });
    },
  };
  return { deps, slack, hosts, checks };
}

describe('processFleetCheckJob', () => {
  it('one root updated to the summary, one reply per host with a problem', async () => {
    const { deps, slack, hosts, checks } = setup(3);
    const check = await checks.open(edgeCheck);
    await processFleetCheckJob(deps, { checkId: check.id, hosts, jobId: 'g1' });
    expect(slack.posts.filter((p) => !p.threadTs)).toHaveLength(1);
    expect(slack.updates).toHaveLength(1);
    expect(JSON.stringify(slack.updates[0]?.blocks)).toContain('group:edge port 80 — 3 hosts');
    const replies = slack.posts.filter((p) => p.threadTs);
    expect(replies.map((r) => r.text).join('\n')).toMatch(
      /lb-01:80 foreign-listener[\s\S]*lb-02:80 unreachable/,
    );
    expect(replies).toHaveLength(2);
  });

  it('caps the replies for a big fleet and does not repeat them on a retry', async () => {
    const { deps, slack, hosts, checks } = setup(90);
    const check = await checks.open(edgeCheck);
    await processFleetCheckJob(deps, { checkId: check.id, hosts, jobId: 'g2' });
    await processFleetCheckJob(deps, { checkId: check.id, hosts, jobId: 'g2' });
    expect(slack.posts.filter((p) => p.threadTs)).toHaveLength(20);
    expect(slack.posts.filter((p) => !p.threadTs)).toHaveLength(1);
  });

  it('the root is posted once per check and names the scope; a missing check stops the job', async () => {
    const { deps, slack, hosts, checks } = setup(1);
    const check = await checks.open({ ...edgeCheck, scope: { kind: 'all' } });
    await processFleetCheckJob(deps, { checkId: check.id, hosts, jobId: 'g3' });
    expect(slack.posts[0]?.text).toContain('all:80');
    expect((await checks.get(check.id))?.rootTs).toBe(slack.updates[0]?.ts);
    await expect(
      processFleetCheckJob(deps, { checkId: 'FLEET-404', hosts, jobId: 'g4' }),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('host replies only report (no remediation buttons) and the audit names the fleet check, not an incident', async () => {
    const { deps, slack, hosts, checks } = setup(2);
    const events: Parameters<typeof deps.audit>[0][] = [];
    const check = await checks.open(edgeCheck);
    await processFleetCheckJob(
      {
        ...deps,
        audit: (e) => {
          events.push(e);
          return Promise.resolve();
        },
      },
      { checkId: check.id, hosts, jobId: 'g5' },
    );
    const reply = slack.posts.find((p) => p.threadTs);
    expect(JSON.stringify(reply?.blocks)).toContain(`fleet check \`${check.id}\``);
    expect(reply?.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'diagnosis.posted',
        incidentId: null,
        host: null,
        detail: expect.objectContaining({ fleetCheckId: check.id, scope: 'group:edge' }) as unknown,
      }),
    ]);
  });
});
