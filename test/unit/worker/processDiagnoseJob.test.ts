import { isRetryLater } from '../../../src/domain/RetryLater';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import { PortbotError } from '../../../src/domain/PortbotError';
import { unreachableDiagnosis } from '../../../src/diagnosis/unreachableDiagnosis';
import { POST_LEASE_MS } from '../../../src/worker/postOnce';
import { processDiagnoseJob, SSH_ATTEMPTS } from '../../../src/worker/processDiagnoseJob';
import { RetryLater } from '../../../src/domain/RetryLater';
import type { DiagnoseRequest } from '../../../src/worker/DiagnoseFn';
import { FakeJob } from '../../support/fakes/FakeJob';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';
import { noAudit } from '../../support/noAudit';
import { diagnosisFixture } from '../../support/diagnosisFixture';

const fixture = diagnosisFixture;

function setup(diagnosis: Diagnosis, now?: () => number) {
  const incidents = new MemoryIncidentStore(now);
  const slack = new RecordingSlack();
  const calls: string[] = [];
  const deps = {
    incidents,
    slack,
    history: slack,
    log: silentLog,
    audit: noAudit,
    diagnose: (host: string, port: number, request?: DiagnoseRequest) => {
      calls.push(`${host}:${port}${request?.sample ? ' sampled' : ''}`);
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
    await processDiagnoseJob(deps, incident.id, new FakeJob('job-1').next());
    // an alert incident: the port is sampled if it looks free or healthy (transient-occupant)
    expect(calls).toEqual([`${d.host}:${d.port} sampled`]);
    expect(slack.posts).toHaveLength(2);
    expect(slack.posts[0]?.text).toContain('diagnosing');
    expect(slack.posts[1]?.threadTs).toBe((await incidents.get(incident.id))?.rootTs);
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]?.text).toContain('foreign-listener');
    expect(incidents.diagnoses.get(incident.id)).toEqual(d);
  });

  it('a /port check incident is diagnosed without sampling', async () => {
    const d = fixture('healthy');
    const { calls, deps, incidents } = setup(d);
    const check = incidents.add({ host: d.host, port: d.port, requestedBy: 'U01ALICE' });
    await processDiagnoseJob(deps, check.id, new FakeJob('job-2').next());
    expect(calls).toEqual([`${d.host}:${d.port}`]);
  });

  it('run again after a crash (same job): no second root, no second evidence reply', async () => {
    const { slack, deps, incident } = setup(fixture('foreign-listener'));
    const job = new FakeJob('job-1');
    await processDiagnoseJob(deps, incident.id, job.next());
    await processDiagnoseJob(deps, incident.id, job.next());
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
      const job = new FakeJob('j', 2);
      await expect(processDiagnoseJob(deps, incident.id, job.next())).rejects.toMatchObject({
        name: 'PortbotError',
        code,
      });
      expect(slack.updates).toHaveLength(0);
      expect(incidents.diagnoses.has(incident.id)).toBe(false);
      await processDiagnoseJob(deps, incident.id, job.next());
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
    await processDiagnoseJob(deps, incident.id, new FakeJob('j').next());
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
    await processDiagnoseJob(deps, incident.id, new FakeJob('j').next());
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
    await processDiagnoseJob({ ...deps, diagnose }, incident.id, new FakeJob('j').next());
    expect(reads).toBe(1);
    expect(slack.updates).toHaveLength(1);
    expect(JSON.stringify(slack.updates[0]?.blocks)).toContain('alert fired 7 times');
  });

  it('a run whose job was taken over during a pause edits nothing and posts no evidence', async () => {
    const { slack, deps, incident } = setup(fixture('foreign-listener'));
    const job = new FakeJob('job-1');
    const run = job.next();
    job.lockHeld = false; // the lock lapsed while the run was paused; another worker owns the job
    const err = await processDiagnoseJob(deps, incident.id, run).catch((e: unknown) => e);
    expect(isRetryLater(err)).toBe(true);
    expect(slack.updates).toHaveLength(0);
    expect(slack.posts.filter((p) => p.threadTs !== undefined)).toHaveLength(0);
  });

  it('fails without retry for an unknown incident', async () => {
    const { deps } = setup(fixture('healthy'));
    await expect(
      processDiagnoseJob(deps, 'INC-404', new FakeJob('j').next()),
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
      processDiagnoseJob(failing, incident.id, new FakeJob('j').next()),
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
    await expect(processDiagnoseJob(flaky, incident.id, new FakeJob('j').next())).rejects.toThrow(
      'ECONNRESET',
    );
    expect(slack.updates).toHaveLength(0);
  });

  it('a reply that may have landed: the retry waits out the claim, then searches and posts once', async () => {
    let now = 1_000_000;
    const { slack, deps, incident } = setup(fixture('foreign-listener'), () => now);
    const realPost = slack.post.bind(slack);
    let failOnce = true;
    slack.post = (msg) => {
      if (msg.threadTs && failOnce) {
        failOnce = false;
        return Promise.reject(new Error('slack 500'));
      }
      return realPost(msg);
    };
    const job = new FakeJob('job-9');
    await expect(processDiagnoseJob(deps, incident.id, job.next())).rejects.toThrow('slack 500');
    await expect(processDiagnoseJob(deps, incident.id, job.next())).rejects.toMatchObject({
      code: 'RETRY_LATER',
      retryInMs: POST_LEASE_MS,
    });
    now += POST_LEASE_MS;
    await processDiagnoseJob(deps, incident.id, job.next());
    expect(slack.posts.filter((p) => p.threadTs)).toHaveLength(1);
  });

  it('Slack failures do not spend the SSH retries: a transient SSH failure after a Slack outage is still retried', async () => {
    const d = unreachableDiagnosis('lb-02', 443, { code: 'SSH_TIMEOUT', message: 'timed out' }, 12);
    const { slack, calls, deps, incident } = setup(d);
    const realPost = slack.post.bind(slack);
    let outage = 5;
    slack.post = (msg) => {
      if (outage-- > 0)
        return Promise.reject(new PortbotError('SLACK_API', 'Slack answered fatal_error'));
      return realPost(msg);
    };
    const job = new FakeJob('j', 1000);
    for (let i = 0; i < 5; i++)
      await expect(processDiagnoseJob(deps, incident.id, job.next())).rejects.toThrow(
        'fatal_error',
      );
    expect(calls).toHaveLength(0);
    for (let i = 1; i < SSH_ATTEMPTS; i++)
      await expect(processDiagnoseJob(deps, incident.id, job.next())).rejects.toMatchObject({
        code: 'SSH_TIMEOUT',
      });
    expect(job.progress.sshAttempts).toBe(SSH_ATTEMPTS - 1);
    expect(slack.updates).toHaveLength(0);
    await processDiagnoseJob(deps, incident.id, job.next());
    expect(calls).toHaveLength(SSH_ATTEMPTS);
    expect(slack.updates[0]?.text).toContain('unreachable');
  });

  it('a host at its slot limit (RetryLater) does not spend an SSH attempt', async () => {
    const { deps, incident } = setup(fixture('healthy'));
    const job = new FakeJob('j');
    const busy = { ...deps, diagnose: () => Promise.reject(new RetryLater(1000, 'slot limit')) };
    await expect(processDiagnoseJob(busy, incident.id, job.next())).rejects.toBeInstanceOf(
      RetryLater,
    );
    expect(job.progress.sshAttempts).toBe(0);
  });

  it('a retry after a Slack failure posts the saved diagnosis without asking the host again', async () => {
    const { slack, calls, deps, incident } = setup(fixture('foreign-listener'));
    const realUpdate = slack.update.bind(slack);
    let failOnce = true;
    slack.update = (msg) => {
      if (failOnce) {
        failOnce = false;
        return Promise.reject(new PortbotError('SLACK_API', 'Slack answered internal_error'));
      }
      return realUpdate(msg);
    };
    const job = new FakeJob('j');
    await expect(processDiagnoseJob(deps, incident.id, job.next())).rejects.toThrow(
      'internal_error',
    );
    await processDiagnoseJob(deps, incident.id, job.next());
    expect(calls).toHaveLength(1);
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]?.text).toContain('foreign-listener');
  });

  it('a retry diagnoses again when an alert came in after the saved diagnosis started', async () => {
    const { slack, calls, deps, incident, incidents } = setup(fixture('foreign-listener'));
    const realUpdate = slack.update.bind(slack);
    let failOnce = true;
    slack.update = (msg) => {
      if (failOnce) {
        failOnce = false;
        return Promise.reject(new PortbotError('SLACK_API', 'Slack answered internal_error'));
      }
      return realUpdate(msg);
    };
    const job = new FakeJob('j');
    await expect(processDiagnoseJob(deps, incident.id, job.next())).rejects.toThrow(
      'internal_error',
    );
    const current = await incidents.get(incident.id);
    if (!current) throw new Error('incident vanished');
    incidents.add({ ...current, lastAlertAt: Date.now() + 60_000 });
    await processDiagnoseJob(deps, incident.id, job.next());
    expect(calls).toHaveLength(2);
  });
});
