import type { z } from 'zod';
import type { AlertEvent, AlertSource } from './AlertEvent';
import type { AlertmanagerAlert } from './AlertmanagerWebhookSchema';
import { AlertmanagerWebhookSchema } from './AlertmanagerWebhookSchema';
import { GO_ZERO_TIME } from './alertSchemaParts';
import { formatPayloadIssues } from './formatPayloadIssues';
import { GenericAlertSchema } from './GenericAlertSchema';
import { GrafanaWebhookSchema } from './GrafanaWebhookSchema';

export type ParseAlertPayloadResult =
  { ok: true; events: AlertEvent[] } | { ok: false; error: string };

/** Summaries end up in Slack and logs; a runaway annotation must not. */
export const SUMMARY_MAX_CHARS = 1000;

function time(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '' || value === GO_ZERO_TIME) return null;
  return value;
}

function clip(text: string): string {
  return text.length > SUMMARY_MAX_CHARS ? `${text.slice(0, SUMMARY_MAX_CHARS - 1)}…` : text;
}

// Alerting rules put the human sentence in `summary` by convention; fall back to what exists.
function summaryOf(alert: Pick<AlertmanagerAlert, 'annotations' | 'labels'>): string {
  const { annotations, labels } = alert;
  const text =
    annotations.summary ?? annotations.description ?? annotations.message ?? labels.alertname ?? '';
  return clip(text.trim());
}

function fromAlerts(source: AlertSource, alerts: readonly AlertmanagerAlert[]): AlertEvent[] {
  return alerts.map((alert) => ({
    source,
    status: alert.status,
    labels: alert.labels,
    summary: summaryOf(alert),
    startsAt: time(alert.startsAt),
    endsAt: time(alert.endsAt),
    fingerprint: alert.fingerprint ? alert.fingerprint : null,
  }));
}

function decode(body: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, error: `body is not valid JSON (${(err as Error).message})` };
  }
}

function failure(source: AlertSource, error: z.ZodError): { ok: false; error: string } {
  return { ok: false, error: `malformed ${source} payload: ${formatPayloadIssues(error.issues)}` };
}

/**
 * Validates a webhook body (parsed JSON, or the raw text/Buffer) and turns it into one event
 * per alert. A failure message is meant for a 400 answer: it names the field and the problem.
 */
export function parseAlertPayload(source: AlertSource, body: unknown): ParseAlertPayloadResult {
  const decoded = decode(body);
  if (!decoded.ok) return { ok: false, error: `malformed ${source} payload: ${decoded.error}` };
  const opts = { reportInput: true } as const;
  switch (source) {
    case 'alertmanager': {
      const parsed = AlertmanagerWebhookSchema.safeParse(decoded.value, opts);
      return parsed.success
        ? { ok: true, events: fromAlerts(source, parsed.data.alerts) }
        : failure(source, parsed.error);
    }
    case 'grafana': {
      const parsed = GrafanaWebhookSchema.safeParse(decoded.value, opts);
      return parsed.success
        ? { ok: true, events: fromAlerts(source, parsed.data.alerts) }
        : failure(source, parsed.error);
    }
    case 'generic': {
      const parsed = GenericAlertSchema.safeParse(decoded.value, opts);
      if (!parsed.success) return failure(source, parsed.error);
      const alert = parsed.data;
      // host/port are explicit fields here; they override same-named labels
      const labels = { ...alert.labels, host: alert.host, port: String(alert.port) };
      const summary = clip((alert.summary ?? '').trim()) || `${alert.host}:${alert.port}`;
      return {
        ok: true,
        events: [
          {
            source,
            status: alert.status,
            labels,
            summary,
            startsAt: time(alert.startsAt),
            endsAt: time(alert.endsAt),
            fingerprint: alert.fingerprint ? alert.fingerprint : null,
          },
        ],
      };
    }
    default: {
      const never: never = source;
      return { ok: false, error: `unknown alert source ${JSON.stringify(never)}` };
    }
  }
}
