import { chatMethods } from './chatMethods';
import { fileMethods } from './fileMethods';
import { lookupMethods } from './lookupMethods';
import type { HandlerContext, MethodHandler } from './MethodHandler';
import { apiError } from './MethodHandler';
import { paramsForLog } from './decodeParams';
import type { MethodResult, Params, RecordedCall } from './standInTypes';

const handlers: Record<string, MethodHandler> = {
  ...chatMethods,
  ...fileMethods,
  ...lookupMethods,
};

export const SUPPORTED_METHODS = Object.keys(handlers);

export interface ApiCall {
  method: string;
  params: Params;
  /** Token from the Authorization header; a `token` param is the fallback, as in Slack. */
  bearer: string | undefined;
}

/**
 * Runs one Web API call against the store: auth, injected failures, the method itself; records
 * it. Slack answers API errors with HTTP 200 and `ok:false`; only rate limits use 429.
 */
export function dispatchApiCall(ctx: HandlerContext, call: ApiCall): MethodResult {
  const token =
    call.bearer ?? (typeof call.params.token === 'string' ? call.params.token : undefined);
  const result = run(ctx, call.method, call.params, token);
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
  method: string,
  params: Params,
  token: string | undefined,
): MethodResult {
  const authError = ctx.store.authError(token);
  if (authError) return { body: apiError(authError) };
  const failure = ctx.store.failures.take(method);
  if (failure && 'error' in failure) {
    return { body: apiError(failure.error), ...(failure.status ? { status: failure.status } : {}) };
  }
  if (failure) {
    const retryAfter = String(failure.retryAfterSec ?? 1);
    return { status: 429, headers: { 'retry-after': retryAfter }, body: apiError('ratelimited') };
  }
  const handler = handlers[method];
  if (!handler) return { body: { ...apiError('unknown_method'), req_method: method } };
  return { body: handler(params, ctx) };
}
