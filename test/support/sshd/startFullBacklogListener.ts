import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';

export interface FullBacklogListener {
  port: number;
  stop(): void;
}

// listen(0) and never accept: once the accept queue is full, Linux drops further SYNs, so a
// connect hangs exactly like one to a firewalled host. Node cannot do this (it always accepts).
const SCRIPT = `
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
print(s.getsockname()[1], flush=True)
time.sleep(120)
`;

export async function startFullBacklogListener(): Promise<FullBacklogListener> {
  const child = spawn('/usr/bin/python3', ['-c', SCRIPT], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
  });
  const fillers: Socket[] = [];
  // the first connection fills the queue (backlog 0 admits one); later SYNs go unanswered
  const first = connect({ host: '127.0.0.1', port });
  first.on('error', () => undefined);
  await new Promise<void>((r) => first.once('connect', () => r()));
  fillers.push(first);
  for (let i = 0; i < 2; i++) {
    const s = connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 100));
  return {
    port,
    stop() {
      fillers.forEach((s) => s.destroy());
      child.kill('SIGKILL');
    },
  };
}
