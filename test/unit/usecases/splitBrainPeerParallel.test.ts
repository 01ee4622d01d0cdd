import type { CommandRunner } from '../../../src/domain/CommandRunner';
import type { Inventory } from '../../../src/domain/HostConfig';
import { PortbotError } from '../../../src/domain/PortbotError';
import { loadRunbooks, defaultRunbooksDir } from '../../../src/config/loadRunbooks';
import { diagnoseHost } from '../../../src/usecases/diagnoseHost';
import { hostConfig } from '../../support/factories/hostConfig';

/**
 * Found by the issue 11 review: diagnosing one keepalived member asks its peer for the VIP. A hung peer
 * (accepts TCP, never answers SSH) then delayed the diagnosis by the peer's whole timeout AFTER
 * the host's own probes (a refused host took 3.5 s, the peer's connect timeout). The peer's question must start beside the host's own probes.
 */
it('the peer VIP probe starts while the host is still being probed', async () => {
  let peerStarted = false;
  let peerStartedBeforeHostEnded = false;
  let wakeHost: () => void = () => undefined;
  const peerSeen = new Promise<void>((done) => (wakeHost = done));
  const runner: CommandRunner = {
    async exec(host) {
      if (host.name === 'lb-b') {
        peerStarted = true;
        wakeHost();
        throw new PortbotError('SSH_TIMEOUT', 'lb-b: hung');
      }
      // The host's own probe waits for the peer's question (at most 2 s, so a serial
      // implementation fails instead of hanging).
      await Promise.race([peerSeen, new Promise((d) => setTimeout(d, 2000))]);
      peerStartedBeforeHostEnded = peerStarted;
      throw new PortbotError('SSH_REFUSED', 'lb-a: refused');
    },
  };
  const a = hostConfig({ name: 'lb-a', haGroup: 'edge', lb: { kind: 'nginx' } });
  const b = hostConfig({
    name: 'lb-b',
    address: '10.0.0.12',
    haGroup: 'edge',
    lb: { kind: 'nginx' },
  });
  const inventory: Inventory = {
    path: '/dev/null',
    hosts: [a, b],
    haGroups: [{ name: 'edge', kind: 'keepalived', vip: '10.0.0.100', members: ['lb-a', 'lb-b'] }],
  };
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const d = await diagnoseHost({ runner, runbooks, now: () => 0 }, inventory, a, 80);
  expect(d.verdict).toBe('unreachable');
  expect(peerStarted).toBe(true);
  expect(peerStartedBeforeHostEnded).toBe(true);
});
