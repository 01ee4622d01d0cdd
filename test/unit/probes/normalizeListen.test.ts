import { findDuplicateListens } from '../../../src/diagnosis/findDuplicateListens';
import { hostOf, normalizeListen, portOf } from '../../../src/probes/normalizeListen';
import { parseHaproxyBinds } from '../../../src/probes/parsers/parseHaproxyBinds';
import { parseNginxListens } from '../../../src/probes/parsers/parseNginxListens';
import { fixture } from './fixture';

describe('normalizeListen', () => {
  it.each([
    // IPv4 wildcard, as nginx, HAProxy and the bind errors write it
    ['80', '0.0.0.0:80'],
    ['*:80', '0.0.0.0:80'],
    [':80', '0.0.0.0:80'],
    ['ipv4@:80', '0.0.0.0:80'],
    ['tcp4@*:80', '0.0.0.0:80'],
    // IPv6 wildcard
    ['[::]:443', '[::]:443'],
    [':::443', '[::]:443'],
    ['ipv6@:443', '[::]:443'],
    ['ipv6@:::443', '[::]:443'],
    ['quic6@:443', '[::]:443'],
    // specific addresses
    ['ipv4@10.0.0.1:443', '10.0.0.1:443'],
    ['[2001:DB8::1]:443', '[2001:db8::1]:443'],
    ['ipv6@2001:db8::1:443', '[2001:db8::1]:443'],
    ['80 default_server', '0.0.0.0:80'],
    // left alone
    ['unix:/run/App.sock', 'unix:/run/App.sock'],
    ['unix@/run/haproxy.sock', 'unix@/run/haproxy.sock'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeListen(raw)).toBe(expected);
  });

  it('applies nginx default port 80 only when asked', () => {
    expect(normalizeListen('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(normalizeListen('[::]', 80)).toBe('[::]:80');
    expect(normalizeListen('127.0.0.1')).toBe('127.0.0.1');
  });

  it('portOf and hostOf read every form the LBs log', () => {
    expect(['[::]:443', ':::8080', '*:80', 'unix:/run/x.sock', '*:*'].map(portOf)).toEqual([
      443,
      8080,
      80,
      null,
      null,
    ]);
    expect(portOf('[fe80::1]%eth0:546')).toBe(546);
    expect(['10.0.0.100:80', '[::1]:80', ':::80'].map(hostOf)).toEqual(['10.0.0.100', '::1', '::']);
  });
});

describe('HAProxy dual-stack binds (captured config, haproxy -c valid)', () => {
  it('ipv4@:7080 and ipv6@:7080 are two addresses, not a duplicate', () => {
    expect(fixture('haproxy-c-dualstack.txt').trim()).toBe('Configuration file is valid');
    const binds = parseHaproxyBinds(fixture('config-haproxy-dualstack.cfg'));
    expect(binds.map((b) => b.address)).toEqual(['0.0.0.0:7080', '[::]:7080', '[::]:7443']);
    expect(findDuplicateListens(binds.map((b) => b.address))).toEqual([]);
  });

  it('nginx and HAProxy spellings of one address compare equal', () => {
    const nginx = parseNginxListens('http { server { listen [::]:443; } }').map((l) => l.address);
    const haproxy = parseHaproxyBinds('frontend f\n  bind :::443\n  bind ipv6@:443\n').map(
      (b) => b.address,
    );
    expect(findDuplicateListens([...nginx, ...haproxy])).toEqual(['[::]:443']);
  });
});
