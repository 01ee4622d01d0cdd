import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { parseAllDocuments, parse } from 'yaml';
import { z } from 'zod';
import { EnvConfigSchema } from '../../../src/config/EnvConfigSchema';
import { InventoryFileSchema } from '../../../src/config/inventorySchema';
import { PolicySchema } from '../../../src/config/PolicySchema';

/**
 * deploy/kubernetes against the Kubernetes API schemas (kubernetes-models: the OpenAPI schema of
 * each kind, compiled), then what portbot needs of them: probes on the routes it serves, the
 * remediation key only in the worker, configuration that portbot's own schemas accept.
 */
const repo = resolve(__dirname, '../../..');
const dir = join(repo, 'deploy/kubernetes');

const MODELS = {
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
} as const;
type Kind = keyof typeof MODELS;

const HeaderSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string() }),
});

interface Resource {
  file: string;
  key: string;
  name: string;
  doc: Record<string, unknown>;
}

function loadResources(): Resource[] {
  const kustomization = z
    .object({
      apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
      kind: z.literal('Kustomization'),
      resources: z.array(z.string()),
    })
    .loose()
    .parse(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')));
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => {
      expect(d.errors).toEqual([]);
      const doc = HeaderSchema.parse(d.toJS());
      return { file, key: `${doc.apiVersion}/${doc.kind}`, name: doc.metadata.name, doc };
    }),
  );
}

/** Runs the kind's schema validation; returns the error text, or null when valid. */
function schemaErrors(r: { key: string; doc: Record<string, unknown> }): string | null {
  const Model = MODELS[r.key as Kind];
  if (!Model) return `no schema for ${r.key}`;
  try {
    // The constructors take the typed shape; validate() checks the object against the schema.
    new Model(r.doc).validate();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

const resources = loadResources();
const find = (key: Kind, name: string) => {
  const r = resources.find((x) => x.key === key && x.name === name);
  if (!r) throw new Error(`no ${key} ${name}`);
  return r;
};
const podSpec = (name: string) =>
  (find('apps/v1/Deployment', name).doc as { spec: { template: { spec: IPodSpec } } }).spec.template
    .spec;
const container = (name: string): IContainer => {
  const [c] = podSpec(name).containers;
  if (!c) throw new Error(`${name} has no container`);
  return c;
};

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('kustomization lists every manifest in the folder', () => {
    const files = readdirSync(dir).filter((f) => f !== 'kustomization.yaml');
    expect([...new Set(resources.map((r) => r.file))].sort()).toEqual(files.sort());
  });

  it('every object is valid against its Kubernetes schema', () => {
    expect(resources.map((r) => r.key).sort()).toEqual(
      expect.arrayContaining(Object.keys(MODELS).sort()),
    );
    for (const r of resources)
      expect([r.file, r.name, schemaErrors(r)]).toEqual([r.file, r.name, null]);
  });

  it('the schema check is not blind: wrong types and missing fields fail', () => {
    const serve = find('apps/v1/Deployment', 'portbot-serve');
    const broken = structuredClone(serve.doc) as {
      spec: { replicas: unknown; template: { spec: { containers: Record<string, unknown>[] } } };
    };
    broken.spec.replicas = 'two';
    expect(schemaErrors({ key: serve.key, doc: broken })).toMatch(/replicas/);
    const noImage = structuredClone(serve.doc) as typeof broken;
    delete noImage.spec.template.spec.containers[0]?.name;
    expect(schemaErrors({ key: serve.key, doc: noImage })).toMatch(/name/);
  });

  it('portbot-serve: probes on the health port, apart from Slack and alert traffic', () => {
    const c = container('portbot-serve');
    expect(c.args).toEqual(['serve']);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 3000 },
      { name: 'health', containerPort: 3002 },
    ]);
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'health' });
    const env = find('v1/ConfigMap', 'portbot-env').doc as { data: Record<string, string> };
    expect(env.data.PORTBOT_HTTP_PORT).toBe('3000');
    expect(env.data.PORTBOT_HEALTH_PORT).toBe('3002');
  });

  it('portbot-worker: liveness on /healthz, readiness on /readyz, on its own port', () => {
    const c = container('portbot-worker');
    expect(c.args).toEqual(['worker']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3001 }]);
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    const env = find('v1/ConfigMap', 'portbot-env').doc as { data: Record<string, string> };
    expect(env.data.PORTBOT_WORKER_HTTP_PORT).toBe('3001');
  });

  it.each(['portbot-serve', 'portbot-worker'])(
    '%s: requests resources, runs as the image user with nothing extra',
    (name) => {
      const c = container(name);
      expect(Object.keys(c.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources?.limits ?? {})).toEqual(['memory']);
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      const pod = podSpec(name);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.enableServiceLinks).toBe(false);
    },
  );

  it('only the worker mounts the remediation key; it outlives its remediation drain', () => {
    const secretsOf = (name: string) =>
      (podSpec(name).volumes ?? []).flatMap((v) =>
        v.secret?.secretName ? [v.secret.secretName] : [],
      );
    expect(secretsOf('portbot-serve')).toEqual(['portbot-ssh']);
    expect(secretsOf('portbot-worker').sort()).toEqual(['portbot-ssh', 'portbot-ssh-remediation']);
    const grace = podSpec('portbot-worker').terminationGracePeriodSeconds ?? 0;
    expect(grace * 1000).toBeGreaterThan(EnvConfigSchema.parse({}).PORTBOT_REMEDIATION_DRAIN_MS);
  });

  it('the Service and the PodDisruptionBudgets select the pods they are meant for', () => {
    const labels = (name: string) =>
      (
        find('apps/v1/Deployment', name).doc as {
          spec: { template: { metadata: { labels: object } } };
        }
      ).spec.template.metadata.labels;
    const service = find('v1/Service', 'portbot').doc as {
      spec: { selector: object; ports: object[] };
    };
    expect(labels('portbot-serve')).toMatchObject(service.spec.selector);
    expect(labels('portbot-worker')).not.toMatchObject(service.spec.selector);
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 3000, targetPort: 'http' },
      { name: 'health', port: 3002, targetPort: 'health' },
    ]);
    for (const name of ['portbot-serve', 'portbot-worker']) {
      const pdb = find('policy/v1/PodDisruptionBudget', name).doc as {
        spec: { minAvailable: number; selector: { matchLabels: object } };
      };
      expect(labels(name)).toMatchObject(pdb.spec.selector.matchLabels);
      expect(pdb.spec.minAvailable).toBe(1);
      expect(
        (find('apps/v1/Deployment', name).doc as { spec: { replicas: number } }).spec.replicas,
      ).toBeGreaterThan(1);
    }
  });

  it("the configuration is what portbot's own schemas accept, and the paths line up", () => {
    const data = (find('v1/ConfigMap', 'portbot-config').doc as { data: Record<string, string> })
      .data;
    const inventory = InventoryFileSchema.parse(parse(data['inventory.yaml'] ?? ''));
    PolicySchema.parse(parse(data['policy.yaml'] ?? ''));
    const env = (find('v1/ConfigMap', 'portbot-env').doc as { data: Record<string, string> }).data;
    const secretEnv = (
      find('v1/Secret', 'portbot-env').doc as { stringData: Record<string, string> }
    ).stringData;
    // Every variable is one portbot reads, and the set of them passes its start-up check.
    const known = Object.keys(EnvConfigSchema.shape);
    for (const key of [...Object.keys(env), ...Object.keys(secretEnv)])
      expect(known).toContain(key);
    expect(EnvConfigSchema.safeParse({ ...env, ...secretEnv }).error?.issues ?? []).toEqual([]);
    // The inventory's key paths are files of the mounted Secrets.
    const mounts = (name: string) =>
      new Map((container(name).volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
    const worker = mounts('portbot-worker');
    const keyFiles = (secret: string, at: string | undefined) =>
      Object.keys((find('v1/Secret', secret).doc as { stringData: object }).stringData).map(
        (k) => `${at}/${k}`,
      );
    const files = [
      ...keyFiles('portbot-ssh', worker.get('ssh')),
      ...keyFiles('portbot-ssh-remediation', worker.get('ssh-remediation')),
    ];
    expect(files).toEqual(
      expect.arrayContaining([
        inventory.defaults?.privateKeyPath,
        inventory.defaults?.knownHostsPath,
        inventory.defaults?.remediation?.privateKeyPath,
      ]),
    );
    expect(mounts('portbot-serve').get('config')).toBe('/etc/portbot/config');
    expect(env.PORTBOT_INVENTORY).toBe('/etc/portbot/config/inventory.yaml');
  });

  it('the runbooks ConfigMap is exactly runbooks/*.yaml, mounted where portbot reads them', () => {
    const data = (find('v1/ConfigMap', 'portbot-runbooks').doc as { data: Record<string, string> })
      .data;
    const shipped = Object.fromEntries(
      readdirSync(join(repo, 'runbooks')).map((f) => [
        f,
        readFileSync(join(repo, 'runbooks', f), 'utf8'),
      ]),
    );
    expect(data).toEqual(shipped);
    expect(
      new Map(
        (container('portbot-worker').volumeMounts ?? []).map((m) => [m.name, m.mountPath]),
      ).get('runbooks'),
    ).toBe('/app/runbooks');
  });
});
