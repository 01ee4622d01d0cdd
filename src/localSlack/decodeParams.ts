import type { Params } from './localSlackTypes';

export type Decoded = { ok: true; params: Params } | { ok: false; error: string };

/**
 * Request parameters from the query string and the body, which the WebClient sends form-encoded
 * (JSON fields as strings) and other clients may send as JSON. Errors use Slack's codes.
 */
export function decodeParams(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): Decoded {
  const params: Params = Object.fromEntries(query.entries());
  if (body.length === 0) return { ok: true, params };
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, error: 'invalid_json' };
    }
    return { ok: true, params: { ...params, ...(parsed as Params) } };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(body.toString('utf8'));
    return { ok: true, params: { ...params, ...Object.fromEntries(form.entries()) } };
  }
  if (type === '') return { ok: false, error: 'missing_post_type' };
  return { ok: false, error: 'invalid_post_type' };
}

const JSON_FIELDS = ['blocks', 'attachments', 'files', 'metadata'];

/** Params as recorded for tests: token removed, JSON-string fields parsed when they are valid. */
export function paramsForLog(params: Params): Params {
  const rest = { ...params };
  delete rest.token;
  for (const key of JSON_FIELDS) {
    const v = rest[key];
    if (typeof v !== 'string') continue;
    try {
      rest[key] = JSON.parse(v) as unknown;
    } catch {
      // keep the raw string: the call was rejected with invalid_blocks_format or similar
    }
  }
  return rest;
}
