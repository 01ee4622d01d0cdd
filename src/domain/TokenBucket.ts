/** A rate shared by all processes (Redis): `burst` at once, then `perSecond`. */
export interface TokenBucket {
  /**
   * Reserves one token: answers how long to wait before using it (0: now), or null when the wait
   * would exceed `maxWaitMs` (nothing is reserved then).
   */
  reserve(
    key: string,
    rate: { perSecond: number; burst: number },
    maxWaitMs: number,
  ): Promise<number | null>;
}
