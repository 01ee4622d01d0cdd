import { ErrorCode } from '@slack/web-api';
import { PortbotError } from '../domain/PortbotError';
import { RetryLater } from '../domain/RetryLater';

/**
 * Slack answers that no retry can change (bad content, wrong or archived channel, credentials):
 * the job stops instead of retrying until the incident expires.
 */
const PERMANENT_SLACK_ERRORS = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'restricted_action',
  'cant_update_message',
  'edit_window_closed',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'ekm_access_denied',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'team_access_not_granted',
]);

/**
 * Slack's refusals become coded errors: a 429 RetryLater, an `ok: false` answer SLACK_API
 * (permanent when a retry cannot help).
 */
export async function slackCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
    if (e.code === ErrorCode.RateLimitedError)
      throw new RetryLater((e.retryAfter ?? 1) * 1000, 'Slack answered 429');
    if (e.code === ErrorCode.PlatformError)
      throw new PortbotError('SLACK_API', `Slack answered ${e.data?.error ?? 'an error'}`, {
        userFacing: false,
        cause: err,
        permanent: PERMANENT_SLACK_ERRORS.has(e.data?.error ?? ''),
      });
    throw err;
  }
}
