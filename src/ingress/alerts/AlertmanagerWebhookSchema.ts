import { z } from 'zod';
import { AlertStatusSchema, optionalText, stringMap, TimestampSchema } from './alertSchemaParts';

/** One alert in an Alertmanager webhook (version 4); unknown fields are dropped. */
export const AlertmanagerAlertSchema = z.object(
  {
    status: AlertStatusSchema,
    labels: stringMap('label'),
    annotations: stringMap('annotation'),
    startsAt: TimestampSchema,
    endsAt: TimestampSchema,
    generatorURL: optionalText,
    fingerprint: optionalText,
  },
  { error: 'expected an alert object' },
);

/**
 * Alertmanager `webhook_config` body. Only `alerts` is required: the group metadata is typed
 * when present but portbot works per alert, so a sender that omits it is still accepted.
 */
export const AlertmanagerWebhookSchema = z.object(
  {
    version: optionalText,
    groupKey: optionalText,
    truncatedAlerts: z
      .number({ error: 'expected a count' })
      .int({ error: 'expected a count' })
      .min(0, { error: 'expected a count' })
      .nullish(),
    status: AlertStatusSchema.nullish(),
    receiver: optionalText,
    groupLabels: stringMap('label'),
    commonLabels: stringMap('label'),
    commonAnnotations: stringMap('annotation'),
    externalURL: optionalText,
    alerts: z.array(AlertmanagerAlertSchema, { error: 'expected a list of alerts' }),
  },
  { error: 'expected a JSON object' },
);

export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlertSchema>;
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhookSchema>;
