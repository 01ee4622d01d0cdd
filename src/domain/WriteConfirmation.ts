/** Whether writes are safe from a Redis failover, asked before an answer promises they are. */
export interface WriteConfirmation {
  /** Taken before the writes; confirm() compares it to notice a reconnect in between. */
  mark(): number;
  /** After the writes: they reached enough replicas, or why they may not have. */
  confirm(mark: number): Promise<WriteConfirmed>;
}

export type WriteConfirmed =
  | {
      confirmed: true;
      /** Replicas that acknowledged, and how many were asked for (fewer when fewer are connected). */
      replicas: number;
      wanted: number;
    }
  | { confirmed: false; reason: string };
