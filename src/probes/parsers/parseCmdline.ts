/**
 * /proc/PID/cmdline: NUL-separated argv. Trailing NULs (also the padding of processes that
 * rewrite their title, like nginx workers) are dropped; empty means a kernel thread.
 */
export function parseCmdline(raw: string): string | null {
  const args = raw.replace(/\n$/, '').split('\0');
  while (args.length > 0 && args[args.length - 1] === '') args.pop();
  return args.length === 0 ? null : args.join(' ');
}
