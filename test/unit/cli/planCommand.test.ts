import { runCli } from '../../../src/cli/runCli';
import { captureIo } from '../../support/captureIo';

async function plan(...args: string[]) {
  const io = captureIo();
  const code = await runCli(['plan', ...args], io);
  return { code, err: io.err.join('\n') };
}

describe('portbot plan: usage errors exit 2 before anything is read or probed', () => {
  it('needs <host> <port>', async () => {
    expect(await plan('lb-01', '--action', 'kill-occupant')).toMatchObject({
      code: 2,
      err: expect.stringContaining('expected <host> <port>') as unknown,
    });
  });

  it('needs a known --action', async () => {
    const r = await plan('lb-01', '80', '--action', 'rm-rf');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--action must be one of kill-occupant');
  });

  it('needs a port 1-65535', async () => {
    expect((await plan('lb-01', '70000', '--action', 'reload-lb')).code).toBe(2);
  });

  it('an inventory that does not exist is exit 2', async () => {
    const r = await plan(
      'lb-01',
      '80',
      '--action',
      'reload-lb',
      '--inventory',
      '/nonexistent.yaml',
    );
    expect(r.code).toBe(2);
  });
});
