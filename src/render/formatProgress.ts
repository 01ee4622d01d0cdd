/** The progress line of a fan-out on a terminal, e.g. `diagnosing port 80: 12/50 hosts done, 1 unreachable`. */
export function formatProgress(p: {
  port: number;
  done: number;
  total: number;
  unreachable: number;
}): string {
  const failed = p.unreachable > 0 ? `, ${p.unreachable} unreachable` : '';
  return `diagnosing port ${p.port}: ${p.done}/${p.total} hosts done${failed}`;
}
