import {
  flattenNginxListens,
  parseNginxListens,
} from '../../../src/probes/parsers/parseNginxListens';
import { parseHaproxyBinds } from '../../../src/probes/parsers/parseHaproxyBinds';
import { fixture } from './fixture';

describe('parseNginxListens', () => {
  it('records listen addresses per server block in file order, ignoring comments', () => {
    expect(parseNginxListens(fixture('config-nginx.conf'))).toEqual([
      { server: 0, address: '0.0.0.0:80' },
      { server: 0, address: '[::]:80' },
      { server: 1, address: '127.0.0.1:8088' },
      { server: 1, address: '0.0.0.0:80' },
    ]);
  });

  it('flattens so only a duplicate inside one server block repeats', () => {
    expect(flattenNginxListens(parseNginxListens(fixture('config-nginx.conf')))).toEqual([
      '0.0.0.0:80',
      '[::]:80',
      '127.0.0.1:8088',
    ]);
    // nginx -t on this file: "a duplicate listen 0.0.0.0:80" (nginx-t-duplicate-listen.txt)
    expect(fixture('nginx-t-duplicate-listen.txt')).toContain('a duplicate listen 0.0.0.0:80');
    expect(flattenNginxListens(parseNginxListens(fixture('config-nginx-dup.conf')))).toEqual([
      '0.0.0.0:80',
      '0.0.0.0:80',
    ]);
  });

  it('ignores listen in comments and server directives inside upstream', () => {
    const conf =
      'http { upstream u { server 10.0.0.1:80; } server { # listen 81;\n listen 10.0.0.5; } }';
    expect(parseNginxListens(conf)).toEqual([{ server: 0, address: '10.0.0.5:80' }]);
  });
});

describe('parseHaproxyBinds', () => {
  it('records every bind address with its section, normalising ":80"', () => {
    expect(parseHaproxyBinds(fixture('config-haproxy.cfg'))).toEqual([
      { section: 'frontend fe_http', address: '0.0.0.0:8080' },
      { section: 'frontend fe_http', address: '[::]:8443' },
      { section: 'listen stats', address: '127.0.0.1:8404' },
      { section: 'listen stats', address: '127.0.0.1:8405' },
    ]);
  });

  it('keeps duplicates across frontends (haproxy -c accepts them)', () => {
    expect(fixture('haproxy-c-duplicate-bind.txt').trim()).toBe('Configuration file is valid');
    expect(parseHaproxyBinds(fixture('config-haproxy-conflict.cfg')).map((b) => b.address)).toEqual(
      ['0.0.0.0:7070', '0.0.0.0:7070'],
    );
  });
});
