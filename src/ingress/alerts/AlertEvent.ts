export type AlertSource = 'alertmanager' | 'grafana' | 'generic';

export const ALERT_SOURCES: readonly AlertSource[] = ['alertmanager', 'grafana', 'generic'];

/** One alert out of a webhook payload, the same shape whichever system sent it. */
export interface AlertEvent {
  source: AlertSource;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  summary: string;
  /** RFC 3339 as sent; null when absent or Go's zero time. */
  startsAt: string | null;
  endsAt: string | null;
  fingerprint: string | null;
}
