import type { Socket } from 'node:net';

interface Pending {
  due: number;
  /** null: the sender's FIN, passed on as end() once due. */
  chunk: Buffer | null;
}

/**
 * One direction of a relayed connection: every chunk read from `from` is written to `to`
 * `delayMs` after it arrived (never earlier), in arrival order. Chunks are not serialised
 * behind each other: one that arrives 10 ms after another leaves 10 ms after it. One timer is
 * armed for the oldest pending chunk only, and re-armed when node's millisecond timers fire
 * before its due time.
 */
export class DelayedPipe {
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private waitingForDrain = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly delayMs: number,
    /** Nothing leaves before this time (performance.now()): the modelled TCP handshake. */
    private readonly notBefore: number,
    /** Called as each chunk leaves: the order on the modelled wire, both directions merged. */
    private readonly onChunk: (bytes: number) => void,
  ) {
    from.on('data', (chunk: Buffer) => this.push(chunk));
    from.on('end', () => this.push(null));
  }

  /** Drops what is pending: the connection is being torn down. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  private push(chunk: Buffer | null): void {
    const due = Math.max(performance.now() + this.delayMs, this.notBefore);
    this.queue.push({ due, chunk });
    if (this.timer === null) this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (!head) return;
    const wait = Math.max(0, Math.ceil(head.due - performance.now()));
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    const now = performance.now();
    for (let head = this.queue[0]; head && head.due <= now; head = this.queue[0]) {
      this.queue.shift();
      if (this.to.destroyed) continue;
      if (head.chunk === null) {
        this.to.end();
        continue;
      }
      this.onChunk(head.chunk.length);
      if (!this.to.write(head.chunk)) this.pauseUntilDrained();
    }
    this.arm();
  }

  /** Back-pressure: stop reading (what is already queued still leaves on time). */
  private pauseUntilDrained(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.from.pause();
    this.to.once('drain', () => {
      this.waitingForDrain = false;
      this.from.resume();
    });
  }
}
