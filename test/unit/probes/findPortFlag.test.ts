import { findPortFlag } from '../../../src/probes/parsers/findPortFlag';
import { parseCmdline } from '../../../src/probes/parsers/parseCmdline';
import { fixture } from './fixture';

describe('findPortFlag', () => {
  // /proc/PID/cmdline of the lab's node_exporter, NULs and all (proc-cmdline-node-exporter.cmd)
  const captured = parseCmdline(fixture('proc-cmdline-node-exporter.txt'));

  it('finds the flag that set the port on a real command line', () => {
    expect(captured).toContain('--web.listen-address=:443');
    expect(findPortFlag(captured, ['--web.listen-address'], 443)).toEqual({
      flag: '--web.listen-address',
      value: ':443',
      text: '--web.listen-address=:443',
    });
  });

  it('says nothing when the flag names another port or is not listed', () => {
    expect(findPortFlag(captured, ['--web.listen-address'], 80)).toBeNull();
    expect(findPortFlag(captured, ['--port'], 443)).toBeNull();
    expect(findPortFlag(captured, [], 443)).toBeNull();
    expect(findPortFlag(null, ['--web.listen-address'], 443)).toBeNull();
  });

  it.each([
    ['node_exporter --web.listen-address 0.0.0.0:443', '--web.listen-address 0.0.0.0:443'],
    ['process-exporter -web.listen-address=[::]:443', '-web.listen-address=[::]:443'],
    ['fluent-bit -H -P 443 -c /etc/fluent-bit.conf', '-P 443'],
    ['exporter --web.listen-address=:9100,:443', '--web.listen-address=:9100,:443'],
  ])('reads %s', (cmdline, text) => {
    const flags = ['--web.listen-address', '-P'];
    expect(findPortFlag(cmdline, flags, 443)?.text).toBe(text);
  });

  it('does not take a flag whose name only starts like a listed one', () => {
    expect(
      findPortFlag('x --web.listen-address-extra=:443', ['--web.listen-address'], 443),
    ).toBeNull();
  });
});
