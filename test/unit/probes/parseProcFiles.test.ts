import { parseCmdline } from '../../../src/probes/parsers/parseCmdline';
import { parseExeLink } from '../../../src/probes/parsers/parseExeLink';
import { parsePasswd } from '../../../src/probes/parsers/parsePasswd';
import { parseProcStat } from '../../../src/probes/parsers/parseProcStat';
import { parseProcStatusUid } from '../../../src/probes/parsers/parseProcStatus';
import { fixture } from './fixture';

describe('/proc parsers on captured files', () => {
  it('parseProcStat handles a comm with a space and reads ppid and field 22', () => {
    expect(parseProcStat(fixture('proc-stat-web-server.txt').trim())).toEqual({
      pid: 11,
      comm: 'web server',
      state: 'S',
      ppid: 1,
      startTicks: 52257,
    });
    expect(parseProcStat(fixture('proc-stat-nginx-worker.txt'))).toMatchObject({
      pid: 7,
      ppid: 5,
      startTicks: 52256,
    });
    expect(parseProcStat(fixture('proc-stat-pid1.txt'))).toMatchObject({
      pid: 1,
      ppid: 0,
      comm: 'sleep',
    });
  });

  it('parseProcStat takes fields after the LAST ")" of a hostile comm', () => {
    const line = fixture('proc-stat-web-server.txt').replace('(web server)', '(a) S 99 (b)');
    expect(parseProcStat(line)).toMatchObject({ comm: 'a) S 99 (b', ppid: 1, startTicks: 52257 });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('parseExeLink notes a deleted executable', () => {
    expect(parseExeLink(fixture('proc-exe-deleted.txt'), 0)).toEqual({
      exe: '/tmp/pbcap/ghost',
      deleted: true,
    });
    expect(parseExeLink(fixture('proc-exe-nginx.txt'), 0)).toEqual({
      exe: '/usr/sbin/nginx',
      deleted: false,
    });
    expect(parseExeLink(fixture('sudo-denied.txt'), 1)).toEqual({ exe: null, deleted: false });
  });

  it('parseCmdline splits NUL-separated argv and drops title padding', () => {
    expect(parseCmdline(fixture('proc-cmdline-web-server.txt'))).toBe(
      '/tmp/pbcap/web server -m http.server --bind 0.0.0.0 7070',
    );
    expect(parseCmdline(fixture('proc-cmdline-nginx-master.txt'))).toBe(
      'nginx: master process /usr/sbin/nginx -c /tmp/pbcap/nginx.conf -e /tmp/pbcap/nginx-error.log',
    );
    expect(parseCmdline('nginx: worker process' + '\0'.repeat(40))).toBe('nginx: worker process');
    expect(parseCmdline('')).toBeNull();
  });

  it('parseProcStatusUid reads the real uid', () => {
    expect(parseProcStatusUid(fixture('proc-status-nginx-worker.txt'))).toBe(65534);
    expect(parseProcStatusUid('Name:\tx\n')).toBeNull();
  });

  it('parsePasswd maps uids to names and ignores unknown ones', () => {
    const users = parsePasswd(fixture('getent-passwd.txt'));
    expect(users.get(0)).toBe('root');
    expect(users.get(65534)).toBe('nobody');
    expect(users.get(33)).toBe('www-data');
    expect(users.has(4242)).toBe(false);
  });
});
