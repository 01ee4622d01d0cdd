import { z } from 'zod';
import { AlertmanagerAlertSchema, AlertmanagerWebhookSchema } from './AlertmanagerWebhookSchema';
import { optionalText } from './alertSchemaParts';

/** A Grafana alert is an Alertmanager alert plus links and the values that triggered it. */
export const GrafanaAlertSchema = AlertmanagerAlertSchema.extend({
  silenceURL: optionalText,
  dashboardURL: optionalText,
  panelURL: optionalText,
  imageURL: optionalText,
  values: z
    .record(z.string(), z.number({ error: 'expected a number' }).nullable(), {
      error: 'expected a mapping of values',
    })
    .nullish(),
  valueString: optionalText,
});

/** Grafana unified alerting webhook (payload version "1"): the Alertmanager body plus a few fields. */
export const GrafanaWebhookSchema = AlertmanagerWebhookSchema.extend({
  orgId: z.number({ error: 'expected an organisation id' }).nullish(),
  title: optionalText,
  state: optionalText,
  message: optionalText,
  alerts: z.array(GrafanaAlertSchema, { error: 'expected a list of alerts' }),
});

export type GrafanaAlert = z.infer<typeof GrafanaAlertSchema>;
export type GrafanaWebhook = z.infer<typeof GrafanaWebhookSchema>;
