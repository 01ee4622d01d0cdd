import type { MethodResult } from '../../../src/localSlack/localSlackTypes';
import { apiError } from '../../../src/localSlack/MethodHandler';
import { LocalSlack, type LocalSlackOptions } from '../../../src/localSlack/startLocalSlack';
import { FailurePlan, type FailureSpec } from './FailurePlan';
import { FileStore, type StoredFile } from './FileStore';
import { fileMethods, uploadRoute } from './fileMethods';
import { lookupMethods } from './lookupMethods';

export type { FailureSpec } from './FailurePlan';
export type { StoredFile } from './FileStore';

export interface TestSlackOptions extends Omit<LocalSlackOptions, 'methods' | 'intercept'> {
  userGroups?: Record<string, string[]>;
}

/** Slack's answer to an injected failure: an error body, or a 429 with Retry-After. */
function failureResult(failure: FailureSpec | undefined): MethodResult | undefined {
  if (!failure) return undefined;
  if ('error' in failure) {
    return { body: apiError(failure.error), ...(failure.status ? { status: failure.status } : {}) };
  }
  const retryAfter = String(failure.retryAfterSec ?? 1);
  return { status: 429, headers: { 'retry-after': retryAfter }, body: apiError('ratelimited') };
}

/**
 * portbot's local Slack plus what only tests need: injected failures (`failNext`), the lookup
 * methods and file uploads portbot never calls.
 */
export class TestSlack extends LocalSlack {
  private readonly failures: FailurePlan;
  private readonly fileStore: FileStore;

  constructor(opts: TestSlackOptions = {}) {
    const failures = new FailurePlan();
    const fileStore = new FileStore();
    const groups = new Map(Object.entries(opts.userGroups ?? {}));
    super({
      ...opts,
      methods: { ...lookupMethods(groups), ...fileMethods(fileStore) },
      intercept: (method) => failureResult(failures.take(method)),
      routes: [...(opts.routes ?? []), uploadRoute(fileStore)],
    });
    this.failures = failures;
    this.fileStore = fileStore;
  }

  failNext(method: string, spec: FailureSpec): void {
    this.failures.add(method, spec);
  }
  files(): StoredFile[] {
    return this.fileStore.all();
  }
  file(id: string): StoredFile | undefined {
    return this.fileStore.get(id);
  }

  /** Also forgets files and pending failures. */
  override reset(): void {
    this.failures.clear();
    this.fileStore.clear();
    super.reset();
  }
}

/** Starts a test Slack on 127.0.0.1 (default) and any free port (default). */
export async function startTestSlack(opts: TestSlackOptions = {}): Promise<TestSlack> {
  const slack = new TestSlack(opts);
  await slack.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return slack;
}
