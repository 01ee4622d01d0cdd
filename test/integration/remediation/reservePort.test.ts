import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESERVED_PORTS_DROP_IN } from '../../../src/remediation/stepCommands';
import { startLab, type Lab } from '../../lab';
import { RemediationHarness } from '../../support/remediationHarness';

/**
 * ephemeral-port-collision on lb-03 (HAProxy): an outbound connection holds port 40000. The
 * reserve-port plan, with closing the connection approved too, runs over real SSH.
 */
const DB = 6;
const PORT = 40000;
let lab: Lab;
let h: RemediationHarness;

beforeAll(async () => {
  lab = await startLab();
  h = await RemediationHarness.start(lab.inventoryPath, DB);
}, 180_000);

afterAll(async () => {
  await h?.close();
  await lab?.stop();
}, 60_000);

it('reserves the port at runtime and for the next boot, ends exactly that connection, starts HAProxy', async () => {
  await lab.ephemeralCollision('lb-03', PORT);
  await lab.sysctl('lb-03', ['net.ipv4.ip_local_reserved_ports=8080,50000-50010']);
  const plan = await h.plan('lb-03', PORT, 'reserve-port', { closeConnection: true });
  expect(plan.steps.map((s) => s.kind)).toEqual([
    'config-test',
    'reserve-port',
    'persist-reserved-ports',
    'close-connection',
    'start-lb',
    'verify-listening',
  ]);

  const outcome = await h.execute(plan, 'req-reserve');

  expect(outcome).toMatchObject({ status: 'succeeded', lastCompletedStep: 6 });
  const runtime = await lab.execOk('lb-03', ['sysctl', '-n', 'net.ipv4.ip_local_reserved_ports']);
  expect(runtime.trim()).toBe(`8080,${PORT},50000-50010`);
  const dropIn = readFileSync(join(lab.hostDir('lb-03'), RESERVED_PORTS_DROP_IN), 'utf8');
  expect(dropIn).toBe(`net.ipv4.ip_local_reserved_ports = 8080,${PORT},50000-50010\n`);
  const sockets = (await lab.sockets('lb-03', PORT)).join('\n');
  expect(sockets).toContain('"haproxy"');
  expect(sockets).not.toContain('ESTAB');
  expect((await h.events('req-reserve')).filter((e) => e.type.endsWith('.done')).length).toBe(4);
}, 120_000);
