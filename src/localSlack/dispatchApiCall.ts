import type { HandlerContext, MethodHandler } from './MethodHandler';
import { apiError } from './MethodHandler';
import { paramsForLog } from './decodeParams';
import type { MethodResult, Params, RecordedCall } from './localSlackTypes';
import type { SlackRateLimits } from './SlackRateLimits';

export interface ApiCall {
  method: string;
  params: Params;
  /** Token from the Authorization header; a `token` param is the fallback, as in Slack. */
  bearer: string | undefined;
}

/**
 * Answers a call in place of its method (after auth), e.g. a test harness injecting a Slack
 * error or rate limit; undefined lets the method run.
 */
export type CallInterceptor = (method: string) => MethodResult | undefined;

/**
 * A method called with an app-level token (xapp-…) instead of the bot token, as Slack's
 * apps.connections.open is: it checks the token itself.
 */
export type AppTokenMethod = (
  token: string | undefined,
  params: Params,
  ctx: HandlerContext,
) => MethodResult;

export interface Dispatcher {
  methods: Readonly<Record<string, MethodHandler>>;
  appTokenMethods?: Readonly<Record<string, AppTokenMethod>>;
  intercept?: CallInterceptor;
  /** Slack's rate limits; absent, every call goes through. */
  rateLimits?: SlackRateLimits;
}

/**
 * Runs one Web API call against the store: auth, the interceptor, the method itself; records
 * it. Slack answers API errors with HTTP 200 and `ok:false`; only rate limits use 429.
 */
export function dispatchApiCall(
  ctx: HandlerContext,
  dispatcher: Dispatcher,
  call: ApiCall,
): MethodResult {
  const token =
    call.bearer ?? (typeof call.params.token === 'string' ? call.params.token : undefined);
  const result = run(ctx, dispatcher, call.method, call.params, token);
  const recorded: Omit<RecordedCall, 'seq'> = {
    method: call.method,
    params: paramsForLog(call.params),
    at: Date.now(),
    status: result.status ?? 200,
    ok: result.body.ok === true,
    response: result.body,
  };
  if (typeof result.body.error === 'string') recorded.error = result.body.error;
  ctx.store.record(recorded);
  return result;
}

function run(
  ctx: HandlerContext,
  dispatcher: Dispatcher,
  method: string,
  params: Params,
  token: string | undefined,
): MethodResult {
  const appTokenMethod = dispatcher.appTokenMethods?.[method];
  if (appTokenMethod) return appTokenMethod(token, params, ctx);
  // Slack refuses an app-level token on bot methods by its type, before looking it up.
  if (token?.startsWith('xapp-')) return { body: apiError('not_allowed_token_type') };
  const authError = ctx.store.authError(token);
  if (authError) return { body: apiError(authError) };
  const result = runAuthenticated(ctx, dispatcher, method, params);
  // Slack names the token's scopes on every answer to an authenticated call, errors included.
  return {
    ...result,
    headers: { ...result.headers, 'x-oauth-scopes': ctx.store.scopes().join(',') },
  };
}

function runAuthenticated(
  ctx: HandlerContext,
  dispatcher: Dispatcher,
  method: string,
  params: Params,
): MethodResult {
  const intercepted = dispatcher.intercept?.(method);
  if (intercepted) return intercepted;
  const limited = dispatcher.rateLimits?.check(method, params);
  if (limited) return limited;
  const handler = dispatcher.methods[method];
  if (!handler) return { body: { ...apiError('unknown_method'), req_method: method } };
  return { body: handler(params, ctx) };
}
