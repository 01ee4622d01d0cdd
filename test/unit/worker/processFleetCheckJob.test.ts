import { noAudit } from '../../support/noAudit';
import { processFleetCheckJob } from '../../../src/worker/processFleetCheckJob';
import { processFleetChunkJob } from '../../../src/worker/processFleetChunkJob';
import { chunkHosts } from '../../../src/domain/chunkHosts';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import { PortbotError } from '../../../src/domain/PortbotError';
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

type Deps = ReturnType<typeof setup>['deps'];

/** The flow by hand: every chunk as its child job would run it, then the parent. */
async function runFlow(
  deps: Deps,
  input: { checkId: string; hosts: readonly string[]; jobId: string; failChunks?: number[] },
) {
  const chunks = chunkHosts(input.hosts);
  const results = new Map<number, Diagnosis[]>();
  const failures = new Map<number, string>();
  for (const [chunk, hosts] of chunks.entries()) {
    if (input.failChunks?.includes(chunk)) {
      failures.set(chunk, 'ssh pool exploded');
      continue;
    }
    const r = await processFleetChunkJob(deps, { checkId: input.checkId, chunk, hosts });
    results.set(r.chunk, r.diagnoses);
  }
  return processFleetCheckJob(deps, {
    checkId: input.checkId,
    chunks,
    jobId: input.jobId,
    results,
    failures,
  });
}

describe('processFleetCheckJob', () => {
  it('one root updated to the summary, one reply per host with a problem', async () => {
    const { deps, slack, hosts, checks } = setup(3);
    const check = await checks.open(edgeCheck);
    await runFlow(deps, { checkId: check.id, hosts, jobId: 'g1' });
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
    await runFlow(deps, { checkId: check.id, hosts, jobId: 'g2' });
    await runFlow(deps, { checkId: check.id, hosts, jobId: 'g2' });
    expect(slack.posts.filter((p) => p.threadTs)).toHaveLength(20);
    expect(slack.posts.filter((p) => !p.threadTs)).toHaveLength(1);
  });

  it('the root is posted once per check and names the scope; a missing check stops the job', async () => {
    const { deps, slack, hosts, checks } = setup(1);
    const check = await checks.open({ ...edgeCheck, scope: { kind: 'all' } });
    await runFlow(deps, { checkId: check.id, hosts, jobId: 'g3' });
    expect(slack.posts[0]?.text).toContain('all:80');
    expect((await checks.get(check.id))?.rootTs).toBe(slack.updates[0]?.ts);
    await expect(runFlow(deps, { checkId: 'FLEET-404', hosts, jobId: 'g4' })).rejects.toMatchObject(
      { code: 'INTERNAL' },
    );
  });

  it('host replies only report (no remediation buttons) and the audit names the fleet check, not an incident', async () => {
    const { deps, slack, hosts, checks } = setup(2);
    const events: Parameters<typeof deps.audit>[0][] = [];
    const check = await checks.open(edgeCheck);
    await runFlow(
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

  it('a chunk whose child failed for good: its hosts are in the summary as not diagnosed, with the reason', async () => {
    const { deps, slack, hosts, checks } = setup(60);
    const check = await checks.open(edgeCheck);
    const ds = await runFlow(deps, { checkId: check.id, hosts, jobId: 'g6', failChunks: [1] });
    expect(ds.map((d) => d.host)).toEqual(hosts);
    const lost = chunkHosts(hosts)[1] ?? [];
    expect(lost.length).toBeGreaterThan(0);
    for (const d of ds.filter((x) => lost.includes(x.host))) {
      expect(d.verdict).toBe('unreachable');
      expect(d.failure).toEqual({ code: 'PROBE_FAILED', transient: false });
      expect(d.summary).toContain('ssh pool exploded');
    }
    expect(JSON.stringify(slack.updates[0]?.blocks)).toContain('60 hosts');
  });

  it('the early root of chunk 0 is the root the summary updates, and a Slack failure there costs no diagnosis', async () => {
    const { deps, slack, hosts, checks } = setup(30);
    const check = await checks.open(edgeCheck);
    // A refusal (surely not posted) frees the slot; a timeout would hold it for POST_LEASE_MS.
    slack.beforePost = () => Promise.reject(new PortbotError('SLACK_API', 'channel_not_found'));
    const r = await processFleetChunkJob(deps, { checkId: check.id, chunk: 0, hosts });
    expect(r.diagnoses.map((d) => d.host)).toEqual(hosts);
    expect(slack.posts).toHaveLength(0);
    slack.beforePost = null;
    await runFlow(deps, { checkId: check.id, hosts, jobId: 'g7' });
    expect(slack.posts.filter((p) => !p.threadTs)).toHaveLength(1);
    expect(slack.updates[0]?.ts).toBe(slack.tsOfPost[0]);
  });
});
