/** Diagnosis job counts by state, as `/port status` reports them. */
export interface DiagnoseJobCounts {
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
}

/** The text of `/port status`, from the open-incident count and the diagnose queue's job counts. */
export function formatStatusText(open: number, d: DiagnoseJobCounts): string {
  return (
    `${open} open incident${open === 1 ? '' : 's'}; diagnoses: ${d.waiting + d.delayed} queued, ` +
    `${d.active} running, ${d.failed} failed`
  );
}
