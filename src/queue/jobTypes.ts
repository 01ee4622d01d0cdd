/**
 * Job payloads carry ids only: the incident record in Redis holds host, port and thread, and
 * no secret ever travels through the queue.
 */
export const DIAGNOSE_QUEUE = 'portbot-diagnose';
export const SLACK_QUEUE = 'portbot-slack';

export interface DiagnoseJobData {
  incidentId: string;
  /** Only for `diagnose-group` jobs: the inventory names of the hosts to check. */
  hosts?: string[];
}

export interface RefreshRootJobData {
  incidentId: string;
}

export type DiagnoseJobName = 'diagnose';
export type SlackJobName = 'refresh-root';
