/** The text of `/port status`, from the open-incident count and the queue's job counts. */
export function formatStatusText(open: number, counts: Record<string, number>): string {
  const n = (k: string) => counts[k] ?? 0;
  return (
    `${open} open incident${open === 1 ? '' : 's'}; diagnoses: ${n('diagnose_waiting') + n('diagnose_delayed')} queued, ` +
    `${n('diagnose_active')} running, ${n('diagnose_failed')} failed`
  );
}
