/**
 * Whether the audit Redis keeps its data across a restart, from the replies to
 * `CONFIG GET appendonly` and `CONFIG GET save`. Pure so the decision is unit-tested; the
 * adapter that asks Redis passes `undefined` when CONFIG is disabled or renamed, and the
 * answer is then "unknown" (said so at start-up) rather than a crash or a false alarm.
 */
export interface AuditPersistence {
  persistent: boolean | 'unknown';
  appendonly: string | undefined;
  save: string | undefined;
}

/** `CONFIG GET name` answers a flat [name, value] list; anything else means no answer. */
function configValue(reply: unknown, name: string): string | undefined {
  if (!Array.isArray(reply) || reply.length < 2) return undefined;
  const [key, value] = reply as unknown[];
  return key === name && typeof value === 'string' ? value : undefined;
}

export function auditPersistence(appendonlyReply: unknown, saveReply: unknown): AuditPersistence {
  const appendonly = configValue(appendonlyReply, 'appendonly');
  const save = configValue(saveReply, 'save');
  if (appendonly === 'yes') return { persistent: true, appendonly, save };
  // An empty save schedule means no RDB snapshots are ever taken.
  if (save !== undefined && save.trim() !== '') return { persistent: true, appendonly, save };
  if (appendonly === undefined || save === undefined) {
    return { persistent: 'unknown', appendonly, save };
  }
  return { persistent: false, appendonly, save };
}
