import { PortbotError } from './PortbotError';

/**
 * Not a failure: the job must wait (another job is posting this message, the host is at its
 * slot limit, Slack asked us to slow down). The queue adapter delays the job by `retryInMs`
 * without spending one of its attempts.
 */
export class RetryLater extends PortbotError {
  constructor(
    readonly retryInMs: number,
    reason: string,
  ) {
    super('RETRY_LATER', reason, { userFacing: false });
    this.name = 'RetryLater';
  }
}

export function isRetryLater(err: unknown): err is RetryLater {
  return err instanceof RetryLater;
}
