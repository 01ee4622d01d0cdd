import { z } from 'zod';

// Prometheus label names; Grafana uses the same alphabet.
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const labelName = z
  .string({ error: 'expected a label name' })
  .regex(LABEL_NAME, { error: "expected a label name (letters, digits, '_')" });

/** Which alert labels name the host and the port (docs/reference/service.md). */
export const AlertMappingSchema = z.strictObject({
  /** Tried in order; the first present, non-empty one wins. */
  hostLabels: z.array(labelName, { error: 'expected a list of label names' }).default(['host']),
  portLabels: z.array(labelName, { error: 'expected a list of label names' }).default(['port']),
  /** `host:port` label (Prometheus target); used when no host or port label is set. */
  instanceLabel: labelName.default('instance'),
  /** Port to use when no label carries one (e.g. every alert is about :443). */
  defaultPort: z
    .number({ error: 'expected integer 1-65535' })
    .int({ error: 'expected integer 1-65535' })
    .min(1, { error: 'expected integer 1-65535' })
    .max(65535, { error: 'expected integer 1-65535' })
    .optional(),
});

export type AlertMapping = z.infer<typeof AlertMappingSchema>;

export const DEFAULT_ALERT_MAPPING: AlertMapping = {
  hostLabels: ['host'],
  portLabels: ['port'],
  instanceLabel: 'instance',
};
