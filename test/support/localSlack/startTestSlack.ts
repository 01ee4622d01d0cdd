import type { MethodResult, Params } from '../../../src/localSlack/localSlackTypes';
import { apiError } from '../../../src/localSlack/MethodHandler';
import { LocalSlack, type LocalSlackOptions } from '../../../src/localSlack/startLocalSlack';
import { FailurePlan, type FailureSpec } from './FailurePlan';
import { lookupMethods } from './lookupMethods';
import { SocketModeStandIn } from './SocketModeStandIn';

export type { FailureSpec } from './FailurePlan';

/** The app-level token a test Slack accepts for Socket Mode unless told others. */
export const TEST_APP_TOKEN = 'xapp-1-A0PORTBOT-1-stand-in';

/** A Web API call parked on its way in: the caller waits until it is run or dropped. */
export interface HeldCall {
  /** Resolves with the call's params once a matching call arrives. */
  arrived: Promise<Params>;
  /** Lets the call run (the message is posted even if its caller is gone). */
  run(): void;
  /** Closes the connection unanswered: the call never reached Slack. */
  drop(): void;
}

interface Hold {
  method: string;
  match: (params: Params) => boolean;
  arrive: (params: Params) => void;
  decided: Promise<'run' | 'drop'>;
  taken: boolean;
}

export interface TestSlackOptions extends Omit<
  LocalSlackOptions,
  'methods' | 'appTokenMethods' | 'intercept' | 'beforeCall'
> {
  /** App-level tokens apps.connections.open accepts (one per app); default TEST_APP_TOKEN. */
  appTokens?: string[];
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
 * portbot's local Slack plus what only tests need: injected failures (`failNext`), held calls,
 * an outage switch, the lookup methods and Socket Mode (`socketMode`).
 */
export class TestSlack extends LocalSlack {
  readonly socketMode: SocketModeStandIn;
  private readonly failures: FailurePlan;
  private readonly holds: Hold[];
  private readonly outage: { down: boolean };

  constructor(opts: TestSlackOptions = {}) {
    const failures = new FailurePlan();
    const holds: Hold[] = [];
    const outage = { down: false };
    const socketMode = new SocketModeStandIn({
      appTokens: opts.appTokens ?? [TEST_APP_TOKEN],
      appId: opts.bot?.appId ?? 'A0PORTBOT',
    });
    super({
      ...opts,
      methods: lookupMethods(),
      appTokenMethods: { 'apps.connections.open': socketMode.connectionsOpen },
      intercept: (method) =>
        outage.down
          ? { status: 503, body: apiError('service_unavailable') }
          : failureResult(failures.take(method)),
      beforeCall: (method, params) => {
        const hold = holds.find((h) => !h.taken && h.method === method && h.match(params));
        if (!hold) return Promise.resolve('run');
        hold.taken = true;
        hold.arrive(params);
        return hold.decided;
      },
    });
    this.failures = failures;
    this.holds = holds;
    this.outage = outage;
    this.socketMode = socketMode;
  }

  override async listen(port: number, host: string): Promise<void> {
    await super.listen(port, host);
    await this.socketMode.listen(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  }

  override async close(): Promise<void> {
    await this.socketMode.close();
    await super.close();
  }

  /** Parks the next call of `method` whose params match, until the test runs or drops it. */
  hold(method: string, match: (params: Params) => boolean = () => true): HeldCall {
    let arrive!: (params: Params) => void;
    let decide!: (d: 'run' | 'drop') => void;
    const arrived = new Promise<Params>((resolve) => (arrive = resolve));
    const decided = new Promise<'run' | 'drop'>((resolve) => (decide = resolve));
    this.holds.push({ method, match, arrive, decided, taken: false });
    return { arrived, run: () => decide('run'), drop: () => decide('drop') };
  }

  /** While down, every Web API call answers HTTP 503, as during a Slack outage. */
  setDown(down: boolean): void {
    this.outage.down = down;
  }

  failNext(method: string, spec: FailureSpec): void {
    this.failures.add(method, spec);
  }
  /** Also forgets pending failures. */
  override reset(): void {
    this.failures.clear();
    super.reset();
  }
}

/** Starts a test Slack on 127.0.0.1 (default) and any free port (default). */
export async function startTestSlack(opts: TestSlackOptions = {}): Promise<TestSlack> {
  const slack = new TestSlack(opts);
  await slack.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return slack;
}
