import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_ALERT_MAPPING } from '../../../src/config/AlertMappingSchema';
import { ALERT_SOURCES } from '../../../src/ingress/alerts/AlertEvent';
import { createMetrics } from '../../../src/observability/createMetrics';

/**
 * deploy/prometheus and deploy/alertmanager through the tools that load them (promtool, amtool),
 * the rules' own unit tests, and the names they rely on against portbot's code.
 */
const repo = resolve(__dirname, '../../..');
const promDir = join(repo, 'deploy/prometheus');
const amFile = join(repo, 'deploy/alertmanager/alertmanager.yml');

function run(cmd: string, args: string[], cwd = promDir) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const RulesSchema = z.object({
  groups: z.array(
    z.object({
      name: z.string(),
      rules: z.array(
        z.object({
          alert: z.string(),
          expr: z.string(),
          labels: z.record(z.string(), z.string()),
          annotations: z.object({ summary: z.string() }),
        }),
      ),
    }),
  ),
});
const rules = RulesSchema.parse(
  parse(readFileSync(join(promDir, 'portbot-rules.yaml'), 'utf8')),
).groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));

/** Every series name portbot's registry exposes (histograms as _bucket, _sum, _count). */
async function exposedNames(): Promise<Set<string>> {
  const metrics = await createMetrics().registry.getMetricsAsJSON();
  return new Set(
    metrics.flatMap((m) =>
      String(m.type) === 'histogram'
        ? ['_bucket', '_sum', '_count'].map((s) => m.name + s)
        : [m.name],
    ),
  );
}

describe('Prometheus (deploy/prometheus)', () => {
  it('promtool accepts the scrape configuration and the rules', () => {
    const config = run('promtool', ['check', 'config', 'prometheus.yml']);
    expect(config.out).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    expect(config.status).toBe(0);
    const checked = run('promtool', ['check', 'rules', 'portbot-rules.yaml']);
    expect(checked.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(checked.status).toBe(0);
  });

  it("the rules' own tests pass (promtool test rules)", () => {
    const r = run('promtool', ['test', 'rules', 'portbot-rules.test.yaml']);
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('promtool is not blind: a broken expression fails the check', () => {
    const r = spawnSync('promtool', ['check', 'rules'], {
      input: 'groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: up{job= == 0\n',
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
  });

  it("every portbot metric a rule uses is one portbot's registry exposes", async () => {
    const exposed = await exposedNames();
    const used = new Set(rules.flatMap((r) => r.expr.match(/\bportbot_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(5);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('only the LB-port alert goes to portbot, with the labels portbot maps to (host, port)', () => {
    const toPortbot = rules.filter((r) => r.labels.portbot === 'diagnose');
    expect(toPortbot.map((r) => r.alert)).toEqual(['LbPortDown']);
    expect(toPortbot[0]?.expr).toContain('probe_success');
    expect(DEFAULT_ALERT_MAPPING.hostLabels).toContain('host');
    expect(DEFAULT_ALERT_MAPPING.portLabels).toContain('port');
    const scrape = readFileSync(join(promDir, 'prometheus.yml'), 'utf8');
    // serve is scraped on its health port (PORTBOT_HEALTH_PORT), the worker on its own.
    expect(scrape).toContain("targets: ['portbot-01.example.net:3002'");
    expect(scrape).toContain("targets: ['portbot-01.example.net:3001'");
    expect(scrape).toMatch(/target_label: host\n\s+replacement: '\$1'/);
    expect(scrape).toMatch(/target_label: port\n\s+replacement: '\$2'/);
  });
});

const WebhookSchema = z.object({
  url: z.url(),
  send_resolved: z.boolean(),
  http_config: z.object({
    authorization: z.object({ type: z.literal('Bearer'), credentials_file: z.string() }),
  }),
});

describe('Alertmanager (deploy/alertmanager)', () => {
  const routesTest = (...labels: string[]) =>
    run('amtool', ['config', 'routes', 'test', `--config.file=${amFile}`, ...labels]).out.trim();

  it('amtool accepts the configuration', () => {
    const r = run('amtool', ['check-config', amFile]);
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('routes LB-port alerts to portbot and to people, portbot’s own alerts to people only', () => {
    const lb = rules.find((r) => r.alert === 'LbPortDown');
    const lbLabels = Object.entries(lb?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    expect(routesTest('alertname=LbPortDown', 'host=lb-01', 'port=443', ...lbLabels)).toMatch(
      /^portbot,team$/m,
    );
    for (const own of rules.filter((r) => r.group === 'portbot')) {
      const labels = Object.entries(own.labels).map(([k, v]) => `${k}=${v}`);
      expect([own.alert, routesTest(`alertname=${own.alert}`, ...labels)]).toEqual([
        own.alert,
        expect.stringMatching(/^team$/m),
      ]);
    }
  });

  it("the portbot receiver posts to portbot's Alertmanager route with its bearer token", () => {
    const config = z
      .object({
        receivers: z.array(
          z.object({ name: z.string(), webhook_configs: z.array(WebhookSchema).optional() }),
        ),
      })
      .parse(parse(readFileSync(amFile, 'utf8')));
    const hooks = config.receivers.find((r) => r.name === 'portbot')?.webhook_configs ?? [];
    expect(hooks).toHaveLength(1);
    const url = new URL(hooks[0]?.url ?? '');
    expect(url.pathname).toBe('/alerts/alertmanager');
    expect(ALERT_SOURCES).toContain('alertmanager');
    expect(hooks[0]?.send_resolved).toBe(true);
  });
});
