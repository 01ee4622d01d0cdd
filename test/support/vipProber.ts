import { request } from 'node:http';

export interface ProbeReport {
  requests: number;
  failures: number;
  /**
   * Longest time without an answer, ms: between the completions of two answered requests (a
   * request held up by a SYN retransmit answers late, and that wait counts).
   */
  longestGapMs: number;
  /** Slowest answered request, ms. */
  maxLatencyMs: number;
}

function get(address: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: address, port: 80, path: '/', timeout: timeoutMs, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(true));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * An HTTP GET on the VIP every `intervalMs`, each on a fresh connection and not waiting for the
 * previous one: what new clients of the VIP see, at a fixed resolution whatever the latency.
 */
export function startVipProber(address: string, intervalMs = 50, timeoutMs = 2000) {
  const sent: Promise<{ at: number; done: number; ok: boolean }>[] = [];
  const started = performance.now();
  const timer = setInterval(() => {
    const at = performance.now();
    sent.push(get(address, timeoutMs).then((ok) => ({ at, done: performance.now(), ok })));
  }, intervalMs);
  return {
    async stop(): Promise<ProbeReport> {
      clearInterval(timer);
      const stopped = performance.now();
      const results = await Promise.all(sent);
      const ok = results.filter((r) => r.ok);
      const answered = [started, ...ok.map((r) => r.done).sort((a, b) => a - b), stopped];
      let longestGapMs = 0;
      for (let i = 1; i < answered.length; i++) {
        longestGapMs = Math.max(longestGapMs, (answered[i] ?? 0) - (answered[i - 1] ?? 0));
      }
      return {
        requests: results.length,
        failures: results.filter((r) => !r.ok).length,
        longestGapMs: Math.round(longestGapMs),
        maxLatencyMs: Math.round(Math.max(0, ...ok.map((r) => r.done - r.at))),
      };
    },
  };
}
