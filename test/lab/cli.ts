import { labDir, startLab } from './startLab';
import { stopLab } from './stopLab';
import { attachLab } from './attachLab';
import type { Lab } from './Lab';
import { clearOwner, liveOtherOwner } from './labLock';

const SCENARIOS = new Set([
  'reset',
  'healthy',
  'lbDownPortFree',
  'rogueListener',
  'orphanedLbMaster',
  'ephemeralCollision',
  'fixEphemeralCollision',
  'nonRootLb',
  'vipNotHeld',
  'duplicateListen',
  'timeWaitOnly',
  'deletedExecutable',
  'socketActivation',
  'nginxBinaryUpgrade',
  'haproxyReloadGenerations',
  'reuseportSplit',
  'sshdDown',
  'restore',
  'changeHostKey',
] as const);
type ScenarioName = typeof SCENARIOS extends Set<infer T> ? T : never;

function isScenario(s: string): s is ScenarioName {
  return (SCENARIOS as Set<string>).has(s);
}

/** `npm run lab:up [-- --bench N]` / `npm run lab:down`. */
async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const benchAt = rest.indexOf('--bench');
  const bench = benchAt >= 0 ? Number(rest[benchAt + 1]) : 0;
  if (cmd === 'up') {
    const t0 = Date.now();
    const lab = await startLab({ benchHosts: bench });
    const ms = Date.now() - t0;
    console.log(`portbot lab up: ${lab.hosts.length} hosts in ${ms} ms (dir ${lab.dir})`);
    console.log(`inventory:   ${lab.inventoryPath}`);
    console.log(`known_hosts: ${lab.knownHostsPath}`);
    console.log(`client key:  ${lab.keyPath}`);
    for (const h of lab.hosts.slice(0, 8))
      console.log(
        `  ${h.name.padEnd(9)} ${h.address.padEnd(11)} ${h.lb}${h.haGroup ? ` haGroup ${h.haGroup}` : ''}${h.user ? ` user ${h.user}` : ''}`,
      );
    if (lab.hosts.length > 8) console.log(`  ... and ${lab.hosts.length - 8} more`);
    console.log('\ntry:');
    console.log(
      `  npm run build && node dist/cli/main.js diagnose lb-01 80 --inventory ${lab.inventoryPath}`,
    );
    console.log(
      `  ssh -i ${lab.keyPath} -o UserKnownHostsFile=${lab.knownHostsPath} root@10.77.0.11 ss -tlnp`,
    );
    console.log(
      '  node dist-dev/test/lab/cli.js scenario rogueListener lb-01   # then diagnose again',
    );
    console.log('  npm run lab:down');
    return 0;
  }
  if (cmd === 'down') {
    const t0 = Date.now();
    const owner = liveOtherOwner();
    if (owner !== null && !rest.includes('--force')) {
      console.error(
        `lab in use by live pid ${owner.pid} (${owner.dir}); --force tears it down anyway`,
      );
      return 1;
    }
    await stopLab(labDir());
    clearOwner();
    console.log(`portbot lab down in ${Date.now() - t0} ms`);
    return 0;
  }
  if (cmd === 'scenario') {
    const [scenario, host, port] = rest;
    if (scenario === undefined || !isScenario(scenario) || host === undefined) {
      console.error(`usage: cli.js scenario <${[...SCENARIOS].join('|')}> <host> [port]`);
      return 2;
    }
    const lab = attachLab();
    lab.host(host);
    const fn = lab[scenario] as (this: Lab, name: string, port?: number) => Promise<unknown>;
    await (port === undefined ? fn.call(lab, host) : fn.call(lab, host, Number(port)));
    console.log(`${host}: ${scenario} in place`);
    return 0;
  }
  console.error(
    'usage: cli.js up [--bench N] | down [--force] | scenario NAME HOST [PORT]   (lab dir: $PORTBOT_LAB_DIR or /tmp/portbot-lab)',
  );
  return 2;
}

main(process.argv.slice(2)).then(
  (rc) => process.exit(rc),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
