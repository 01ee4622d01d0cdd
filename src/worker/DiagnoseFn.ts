import type { Diagnosis } from '../domain/diagnosis';

export interface DiagnoseRequest {
  /** Sample the port when it looks free or healthy (transient-occupant): alert incidents only. */
  sample?: boolean;
}

/** Looks the host up in the inventory and diagnoses it; SSH failures come back as `unreachable`. */
export type DiagnoseFn = (
  host: string,
  port: number,
  request?: DiagnoseRequest,
) => Promise<Diagnosis>;
