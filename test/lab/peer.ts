import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tcpState } from './tcpState';
import { LAB_BRIDGE_ADDRESS, PEER_PORT } from './labTypes';
import { PEER_MARK, peerPidFile } from './network';
import { PEER_PY } from './pyScripts';
import { spawnDetached } from './run';
import { waitFor } from './waitFor';

/** The root-namespace listener (10.77.0.1:9009) that holds collision connections open; teardown kills it. */
export async function ensurePeer(labDir: string): Promise<void> {
  const f = peerPidFile(labDir);
  if (existsSync(f)) {
    const pid = Number(readFileSync(f, 'utf8'));
    if (
      existsSync(`/proc/${pid}`) &&
      readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(PEER_MARK)
    )
      return;
  }
  const pid = spawnDetached(
    ['/usr/bin/python3', '-c', PEER_PY, PEER_MARK, LAB_BRIDGE_ADDRESS, String(PEER_PORT)],
    join(labDir, 'peer.log'),
  );
  writeFileSync(f, String(pid));
  await waitFor(
    'lab peer listening',
    async () => (await tcpState(LAB_BRIDGE_ADDRESS, PEER_PORT)) === 'open',
  );
}
