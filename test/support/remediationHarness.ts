import { silentLog } from './fakes/silentLog';
import { Redis } from 'ioredis';
import type { AuditEvent } from '../../src/audit/AuditEvent';
import { RedisAuditLog } from '../../src/audit/redis/RedisAuditLog';
import { loadInventory } from '../../src/config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../../src/config/loadRunbooks';
import type { Inventory } from '../../src/domain/HostConfig';
import type { Runbook } from '../../src/domain/Runbook';
import type { ExecuteDeps, StepProgress } from '../../src/remediation/ExecutionPorts';
import { executePlan } from '../../src/remediation/executePlan';
import { RedisFencingLock } from '../../src/remediation/redis/RedisFencingLock';
import { RedisStepJournal } from '../../src/remediation/redis/RedisStepJournal';
import type { RemediationRunner } from '../../src/remediation/RemediationRunner';
import type {
  PlanOptions,
  RemediationAction,
  RemediationPlan,
} from '../../src/remediation/RemediationPlan';
import { SshPool } from '../../src/ssh/SshPool';
import { SshRemediationRunner } from '../../src/ssh/SshRemediationRunner';
import { observeHost } from '../../src/usecases/observeHost';
import { planForHost } from '../../src/usecases/planForHost';
import { connectTestRedis, TEST_REDIS_HOST, TEST_REDIS_PORT } from './testRedis';

/**
 * The executor wired the way start-up will wire it, over the lab: read-only pool for re-probes,
 * a separate pool on the remediation credential, Redis audit log, fencing lock and journal.
 */
export class RemediationHarness {
  readonly readOnly = new SshPool();
  readonly remediationPool = new SshPool();
  readonly runner: RemediationRunner = new SshRemediationRunner(this.remediationPool);
  readonly runbooks: Map<string, Runbook> = loadRunbooks(defaultRunbooksDir());
  readonly inventory: Inventory;
  readonly audit: RedisAuditLog;
  readonly progress: StepProgress[] = [];

  private constructor(
    inventoryPath: string,
    readonly redis: Redis,
  ) {
    this.inventory = loadInventory(inventoryPath, new Set(this.runbooks.keys()));
    this.audit = new RedisAuditLog(redis);
  }

  /** Flushes the test database first. */
  static async start(inventoryPath: string, db: number): Promise<RemediationHarness> {
    return new RemediationHarness(inventoryPath, await connectTestRedis(db));
  }

  /** Joins a database another process (the test) set up, keeping its contents. */
  static attach(inventoryPath: string, db: number): RemediationHarness {
    const redis = new Redis({ host: TEST_REDIS_HOST, port: TEST_REDIS_PORT, db });
    return new RemediationHarness(inventoryPath, redis);
  }

  private get diagnoseDeps() {
    return { runner: this.readOnly, runbooks: this.runbooks, now: () => performance.now() };
  }

  /** The same path `portbot plan` takes; fails the test when no plan is made. */
  async plan(
    host: string,
    port: number,
    action: RemediationAction,
    options: Partial<PlanOptions> = {},
  ): Promise<RemediationPlan> {
    const r = await planForHost(this.diagnoseDeps, this.inventory, host, port, action, options);
    if (r.kind !== 'planned') throw new Error(`${host} not diagnosable`);
    if (!r.result.ok) throw new Error(`plan refused: ${r.result.code}: ${r.result.reason}`);
    return r.result.plan;
  }

  deps(overrides: Partial<ExecuteDeps> = {}): ExecuteDeps {
    const hosts = new Map(this.inventory.hosts.map((h) => [h.name, h]));
    return {
      hosts,
      runner: this.runner,
      observe: (name, port) => {
        const host = hosts.get(name);
        if (!host) throw new Error(`no host ${name}`);
        return observeHost(this.diagnoseDeps, this.inventory, host, port);
      },
      audit: this.audit,
      lock: new RedisFencingLock(this.redis),
      journal: new RedisStepJournal(this.redis),
      now: () => performance.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      onProgress: (p) => {
        this.progress.push(p);
      },
      // No approval state here: each run is the only one to end its request.
      settle: () => Promise.resolve(true),
      lockTtlMs: 60_000,
      pollIntervalMs: 100,
      log: silentLog,
      ...overrides,
    };
  }

  execute(plan: RemediationPlan, requestId: string, overrides: Partial<ExecuteDeps> = {}) {
    return executePlan(this.deps(overrides), plan, {
      requestId,
      incidentId: null,
      actor: 'U-APPROVER',
    });
  }

  /** Audit events of one request, in chain order. */
  async events(requestId: string): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    for await (const e of this.audit.read({})) if (e.detail.requestId === requestId) out.push(e);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([this.readOnly.close(), this.remediationPool.close()]);
    await this.redis.quit();
  }
}
