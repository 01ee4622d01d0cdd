/** An injected failure for the next `times` calls of a method (default once). */
export type FailureSpec =
  | { status: 429; retryAfterSec?: number; times?: number }
  | { error: string; status?: number; times?: number };

interface Pending {
  spec: FailureSpec;
  remaining: number;
}

/** Failures queued per method ('*' matches any method), consumed one call at a time. */
export class FailurePlan {
  private readonly pending = new Map<string, Pending[]>();

  add(method: string, spec: FailureSpec): void {
    const list = this.pending.get(method) ?? [];
    list.push({ spec, remaining: Math.max(1, spec.times ?? 1) });
    this.pending.set(method, list);
  }

  take(method: string): FailureSpec | undefined {
    return this.takeFrom(method) ?? this.takeFrom('*');
  }

  clear(): void {
    this.pending.clear();
  }

  private takeFrom(key: string): FailureSpec | undefined {
    const list = this.pending.get(key);
    const head = list?.[0];
    if (list === undefined || head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) list.shift();
    return head.spec;
  }
}
