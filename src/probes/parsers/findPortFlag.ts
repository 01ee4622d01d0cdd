/** A command-line flag that sets a listen address naming the port: `--web.listen-address=:443`. */
export interface PortFlag {
  flag: string;
  value: string;
  /** As it appears on the command line: `--web.listen-address=:443` or `-P 443`. */
  text: string;
}

/** The port in a listen value: `:443`, `0.0.0.0:443`, `[::]:443`, `443`, `http://x:443/`. */
function portsIn(value: string): number[] {
  return value
    .split(',')
    .map((v) => /(?:^|:)(\d{1,5})\/?$/.exec(v.trim())?.[1])
    .filter((p): p is string => p !== undefined)
    .map(Number);
}

/**
 * Which of `flags` sets `port` on this command line (/proc/PID/cmdline, argv joined with
 * spaces). Accepts `--flag=value`, `--flag value`, and the single-dash spelling Go programs
 * also take (`-web.listen-address=:443`). Null when no flag names the port: the port then comes
 * from a config file or the program's default.
 */
export function findPortFlag(
  cmdline: string | null,
  flags: readonly string[],
  port: number,
): PortFlag | null {
  if (cmdline === null || flags.length === 0) return null;
  const tokens = cmdline.split(/\s+/).filter((t) => t !== '');
  const names = new Set(flags.map((f) => f.replace(/^-+/, '')));
  for (const [i, token] of tokens.entries()) {
    const m = /^--?([^=\s]+)(?:=(.*))?$/.exec(token);
    if (!m?.[1] || !names.has(m[1])) continue;
    const inline = m[2];
    const value = inline ?? tokens[i + 1];
    if (value === undefined || !portsIn(value).includes(port)) continue;
    return {
      flag: token.split('=')[0] ?? token,
      value,
      text: inline !== undefined ? token : `${token} ${value}`,
    };
  }
  return null;
}
