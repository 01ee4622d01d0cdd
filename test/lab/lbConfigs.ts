import { readFileSync } from 'node:fs';

/** Config text the lab writes into a host's /etc; reset() writes the baseline back. */

export const NGINX_START = ['/usr/sbin/nginx', '-e', '/var/log/nginx/error.log'];
export const HAPROXY_START =
  '/usr/sbin/haproxy -D -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid 2>>/var/log/haproxy.log';

/** The stock nginx.conf, one worker (50 hosts share 2 cores), optionally another pid path. */
export function nginxConf(pidPath = '/run/nginx.pid'): string {
  const stock = readFileSync('/etc/nginx/nginx.conf', 'utf8');
  return stock
    .replace(/^worker_processes\s+\S+;/m, 'worker_processes 1;')
    .replace(/^pid\s+\S+;/m, `pid ${pidPath};`);
}

/** sites-enabled/default: the stock default server with the given listen lines. */
export function nginxSite(
  listens: readonly string[] = ['80 default_server', '[::]:80 default_server'],
): string {
  return [
    '# portbot lab: stock default site, listen lines set by the scenario',
    'server {',
    ...listens.map((l) => `\tlisten ${l};`),
    '\troot /var/www/html;',
    '\tindex index.html index.htm index.nginx-debian.html;',
    '\tserver_name _;',
    '\tlocation / {',
    '\t\ttry_files $uri $uri/ =404;',
    '\t}',
    '}',
    '',
  ].join('\n');
}

export function nginxSiteForPort(port: number): string {
  return nginxSite([`${port} default_server`, `[::]:${port} default_server`]);
}

/** HAProxy: one HTTP frontend per bind (two with the same bind = the duplicate scenario). */
export function haproxyCfg(binds: readonly string[] = [':80']): string {
  const frontends = binds.flatMap((b, i) => [
    `frontend fe_http${i === 0 ? '' : `_${i + 1}`}`,
    `\tbind ${b}`,
    '\tdefault_backend be_web',
    '',
  ]);
  return [
    '# portbot lab: no syslog here (/dev/log absent); start captures stderr into /var/log/haproxy.log',
    'global',
    '\tstats socket /run/haproxy/admin.sock mode 660 level admin',
    '\tstats timeout 30s',
    '\tuser haproxy',
    '\tgroup haproxy',
    '\tmaxconn 512',
    '',
    'defaults',
    '\tmode http',
    '\ttimeout connect 5s',
    '\ttimeout client 50s',
    '\ttimeout server 50s',
    '',
    ...frontends,
    'backend be_web',
    '\tserver web1 127.0.0.1:8080',
    '',
  ].join('\n');
}

export interface KeepalivedParams {
  host: string;
  group: string;
  vip: string;
  routerId: number;
  priority: number;
  master: boolean;
}

export function keepalivedConf(p: KeepalivedParams): string {
  return `# portbot lab: haGroup ${p.group}
global_defs {
\trouter_id ${p.host}
\tscript_user root
\tenable_script_security
}

vrrp_instance ${p.group} {
\tstate ${p.master ? 'MASTER' : 'BACKUP'}
\tinterface eth0
\tvirtual_router_id ${p.routerId}
\tpriority ${p.priority}
\tadvert_int 1
\tvirtual_ipaddress {
\t\t${p.vip}/32 dev eth0
\t}
\tnotify /etc/keepalived/notify.sh
}
`;
}

/** keepalived calls it as: notify.sh INSTANCE|GROUP NAME STATE PRIORITY. */
export const KEEPALIVED_NOTIFY = '#!/bin/sh\necho "$3" > /run/keepalived.state\n';

export const KEEPALIVED_ARGV = [
  '/usr/sbin/keepalived',
  '-n',
  '-l',
  '-D',
  '-f',
  '/etc/keepalived/keepalived.conf',
  '-p',
  '/run/keepalived.pid',
  '-r',
  '/run/vrrp.pid',
];
