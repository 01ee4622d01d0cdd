import type { Diagnosis } from '../../../src/domain/diagnosis';
import { PortbotError } from '../../../src/domain/PortbotError';
import { processDiagnoseJob } from '../../../src/worker/processDiagnoseJob';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';
import { noAudit } from '../../support/noAudit';
import { diagnosisFixture } from '../../support/diagnosisFixture';

const fixture = diagnosisFixture;

function setup(diagnosis: Diagnosis) {
  const incidents = new MemoryIncidentStore();
  const slack = new RecordingSlack();
  const calls: string[] = [];
  const deps = {
    incidents,
    slack,
    log: silentLog,
    audit: noAudit,
    diagnose: (host: string, port: number) => {
      calls.push(`${host}:${port}`);
      return Promise.resolve(diagnosis);
    },
  };
  const incident = incidents.add({ host: diagnosis.host, port: diagnosis.port });
  return { incidents, slack, calls, deps, incident };
}

describe('processDiagnoseJob', () => {
  it('posts the root once, updates it with the diagnosis and replies with evidence', async () => {
    const d = fixture('foreign-listener');
    const { slack, calls, deps, incident, incidents } = setup(d);
    await processDiagnoseJob(deps, incident.id, { id: 'job-1', attemptsMade: 0, attempts: 4 });
    expect(calls).toEqual([`${d.host}:${d.port}`]);
    expect(slack.posts).toHaveLength(2);
    expect(slack.posts[0]?.text).toContain('diagnosing');
    expect(slack.posts[1]?.threadTs).toBe((await incidents.get(incident.id))?.rootTs);
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]?.text).toContain('foreign-listener');
    expect(JSON.parse(incidents.diagnoses.get(incident.id) ?? '{}')).toEqual(d);
  });

  it('run again after a crash (same job): no second root, no second evidence reply', async () => {
    const { slack, deps, incident } = setup(fixture('foreign-listener'));
    const attempt = { id: 'job-1', attemptsMade: 0, attempts: 4 };
    await processDiagnoseJob(deps, incident.id, attempt);
    await processDiagnoseJob(deps, incident.id, { ...attempt, attemptsMade: 1 });
    expect(slack.posts).toHaveLength(2);
    expect(slack.updates).toHaveLength(2);
  });

  it('retries a transient SSH failure while attempts remain, then reports unreachable', async () => {
    const d: Diagnosis = {
      ...fixture('unreachable'),
      findings: [{ code: 'ssh-timeout', detail: 'timed out' }],
    };
    const { slack, deps, incident } = setup(d);
    await expect(
      processDiagnoseJob(deps, incident.id, { id: 'j', attemptsMade: 0, attempts: 2 }),
    ).rejects.toThrow(PortbotError);
    expect(slack.updates).toHaveLength(0);
    await processDiagnoseJob(deps, incident.id, { id: 'j', attemptsMade: 1, attempts: 2 });
    expect(slack.updates[0]?.text).toContain('unreachable');
  });

  it('does not retry a host-key mismatch', async () => {
    const d: Diagnosis = {
      ...fixture('unreachable'),
      findings: [{ code: 'host-key-mismatch', detail: 'changed' }],
    };
    const { slack, deps, incident } = setup(d);
    await processDiagnoseJob(deps, incident.id, { id: 'j', attemptsMade: 0, attempts: 4 });
    expect(slack.updates).toHaveLength(1);
  });

  it('fails without retry for an unknown incident', async () => {
    const { deps } = setup(fixture('healthy'));
    await expect(
      processDiagnoseJob(deps, 'INC-404', { id: 'j', attemptsMade: 0, attempts: 4 }),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('on the last attempt a failing diagnosis replaces "diagnosing…" with an error and stops retrying', async () => {
    const { slack, deps, incident } = setup(fixture('healthy'));
    const failing = {
      ...deps,
      diagnose: () =>
        Promise.reject(new PortbotError('PROBE_FAILED', 'no sections', { userFacing: false })),
    };
    await expect(
      processDiagnoseJob(failing, incident.id, { id: 'j', attemptsMade: 0, attempts: 4 }),
    ).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]?.text).toContain(
      `could not diagnose ${incident.host}:${incident.port} (PROBE_FAILED)`,
    );
  });

  it('an unexpected error is retried while attempts remain, without touching the root', async () => {
    const { slack, deps, incident } = setup(fixture('healthy'));
    const flaky = { ...deps, diagnose: () => Promise.reject(new Error('ECONNRESET from Redis')) };
    await expect(
      processDiagnoseJob(flaky, incident.id, { id: 'j', attemptsMade: 0, attempts: 4 }),
    ).rejects.toThrow('ECONNRESET');
    expect(slack.updates).toHaveLength(0);
  });

  it('gives the evidence claim back when the reply could not be posted, so the retry posts it', async () => {
    const { slack, deps, incident } = setup(fixture('foreign-listener'));
    const realPost = slack.post.bind(slack);
    let failOnce = true;
    slack.post = (msg) => {
      if (msg.threadTs && failOnce) {
        failOnce = false;
        return Promise.reject(new Error('slack 500'));
      }
      return realPost(msg);
    };
    const attempt = { id: 'job-9', attemptsMade: 0, attempts: 4 };
    await expect(processDiagnoseJob(deps, incident.id, attempt)).rejects.toThrow('slack 500');
    await processDiagnoseJob(deps, incident.id, { ...attempt, attemptsMade: 1 });
    expect(slack.posts.filter((p) => p.threadTs)).toHaveLength(1);
  });
});
