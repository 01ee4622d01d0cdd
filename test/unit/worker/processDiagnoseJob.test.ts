import type { Diagnosis } from '../../../src/domain/diagnosis';
import { PortbotError } from '../../../src/domain/PortbotError';
import { unreachableDiagnosis } from '../../../src/diagnosis/unreachableDiagnosis';
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
    history: slack,
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
    expect(incidents.diagnoses.get(incident.id)).toEqual(d);
  });

  it('run again after a crash (same job): no second root, no second evidence reply', async () => {
    const { slack, deps, incident } = setup(fixture('foreign-listener'));
    const attempt = { id: 'job-1', attemptsMade: 0, attempts: 4 };
    await processDiagnoseJob(deps, incident.id, attempt);
    await processDiagnoseJob(deps, incident.id, { ...attempt, attemptsMade: 1 });
    expect(slack.posts).toHaveLength(2);
    expect(slack.updates).toHaveLength(2);
  });

  it.each([
    ['SSH_REFUSED', 'connection refused (is sshd running on that port?)'],
    ['SSH_TIMEOUT', 'connection timed out (ETIMEDOUT)'],
    ['COMMAND_TIMEOUT', 'probe script timed out after 10000 ms'],
  ] as const)(
    'retries %s while attempts remain, rethrowing the real code, then reports unreachable',
    async (code, message) => {
      const d = unreachableDiagnosis('lb-02', 443, { code, message }, 12);
      const { slack, deps, incident, incidents } = setup(d);
      await expect(
        processDiagnoseJob(deps, incident.id, { id: 'j', attemptsMade: 0, attempts: 2 }),
      ).rejects.toMatchObject({ name: 'PortbotError', code });
      expect(slack.updates).toHaveLength(0);
      expect(incidents.diagnoses.has(incident.id)).toBe(false);
      await processDiagnoseJob(deps, incident.id, { id: 'j', attemptsMade: 1, attempts: 2 });
      expect(slack.updates).toHaveLength(1);
      expect(slack.updates[0]?.text).toContain('unreachable');
      expect(incidents.diagnoses.get(incident.id)?.failure).toEqual({ code, transient: true });
    },
  );

  it.each([
    ['SSH_AUTH', 'authentication failed for user diag'],
    ['HOST_KEY_MISMATCH', 'host key changed'],
  ] as const)('does not retry %s: a human must act', async (code, message) => {
    const d = unreachableDiagnosis('lb-02', 443, { code, message }, 12);
    const { slack, deps, incident } = setup(d);
    await processDiagnoseJob(deps, incident.id, { id: 'j', attemptsMade: 0, attempts: 4 });
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]?.text).toContain('unreachable');
  });

  it('reads the failure, not the finding text: a transient-looking finding without a transient failure is final', async () => {
    const d: Diagnosis = {
      ...fixture('unreachable'),
      findings: [{ code: 'ssh-timeout', detail: 'timed out' }],
      failure: { code: 'SSH_AUTH', transient: false },
    };
    const { slack, deps, incident } = setup(d);
    await processDiagnoseJob(deps, incident.id, { id: 'j', attemptsMade: 0, attempts: 4 });
    expect(slack.updates).toHaveLength(1);
  });

  it('reads the incident once and updates the root once, showing repeats counted during the diagnosis', async () => {
    const d = fixture('foreign-listener');
    const { slack, deps, incident, incidents } = setup(d);
    let reads = 0;
    const get = incidents.get.bind(incidents);
    incidents.get = (id) => {
      reads += 1;
      return get(id);
    };
    const diagnose = (host: string, port: number) => {
      // An alert repeat lands while the probes run.
      incidents.add({ ...incident, alertCount: 7 });
      return deps.diagnose(host, port);
    };
    await processDiagnoseJob({ ...deps, diagnose }, incident.id, {
      id: 'j',
      attemptsMade: 0,
      attempts: 4,
    });
    expect(reads).toBe(1);
    expect(slack.updates).toHaveLength(1);
    expect(JSON.stringify(slack.updates[0]?.blocks)).toContain('alert fired 7 times');
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
