import { noAudit } from '../../support/noAudit';
import { processGroupJob } from '../../../src/worker/processGroupJob';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';
import { diagnosisFixture } from '../../support/diagnosisFixture';

const fixture = diagnosisFixture;

function setup(hostCount: number) {
  const incidents = new MemoryIncidentStore();
  const slack = new RecordingSlack();
  const verdicts = ['healthy', 'foreign-listener', 'unreachable'];
  const hosts = Array.from({ length: hostCount }, (_, i) => `lb-${String(i).padStart(2, '0')}`);
  const deps = {
    incidents,
    slack,
    log: silentLog,
    audit: noAudit,
    diagnose: (host: string, port: number) => {
      const d = fixture(verdicts[hosts.indexOf(host) % verdicts.length] as string);
      return Promise.resolve({ ...d, host, port });
    },
  };
  const check = incidents.add({ host: 'group:edge', port: 80, requestedBy: 'U1' });
  return { deps, slack, hosts, check };
}

describe('processGroupJob', () => {
  it('one root updated to the summary, one reply per host with a problem', async () => {
    const { deps, slack, hosts, check } = setup(3);
    await processGroupJob(deps, { incidentId: check.id, hosts, jobId: 'g1' });
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
    const { deps, slack, hosts, check } = setup(90);
    await processGroupJob(deps, { incidentId: check.id, hosts, jobId: 'g2' });
    await processGroupJob(deps, { incidentId: check.id, hosts, jobId: 'g2' });
    expect(slack.posts.filter((p) => p.threadTs)).toHaveLength(20);
    expect(slack.posts.filter((p) => !p.threadTs)).toHaveLength(1);
  });
});
