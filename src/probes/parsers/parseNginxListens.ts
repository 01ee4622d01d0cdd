import { normalizeListen } from '../normalizeListen';

export interface NginxListen {
  /** Index of the server block (0-based, file order). */
  server: number;
  /** address:port as nginx reports it in bind() errors, e.g. "0.0.0.0:80", "[::]:80". */
  address: string;
}

function tokens(config: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|#[^\n]*|([{};])|([^\s{};"'#]+)/g;
  for (const m of config.matchAll(re)) {
    if (m[0].startsWith('#')) continue;
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** The texts an `include` pattern stands for, in the order nginx reads them (glob order). */
export type NginxIncludes = (pattern: string) => readonly string[];

const MAX_INCLUDE_DEPTH = 8;

/**
 * `listen` directives per server block, in file order. With `includes`, an `include` directive
 * is replaced by the files it names, read in place as nginx does (so an include inside a server
 * block adds to that block); without, includes are not followed.
 */
export function parseNginxListens(config: string, includes?: NginxIncludes): NginxListen[] {
  const listens: NginxListen[] = [];
  const stack: (number | null)[] = [];
  let words: string[] = [];
  let servers = 0;
  const read = (text: string, depth: number): void => {
    for (const t of tokens(text)) {
      if (t === '{') {
        stack.push(words[0] === 'server' && words.length === 1 ? servers++ : null);
        words = [];
      } else if (t === '}') {
        stack.pop();
        words = [];
      } else if (t === ';') {
        const [keyword, arg] = words;
        words = [];
        const server = stack[stack.length - 1];
        if (keyword === 'listen' && arg !== undefined && typeof server === 'number') {
          listens.push({ server, address: normalizeListen(arg, 80) });
        } else if (
          keyword === 'include' &&
          arg !== undefined &&
          includes &&
          depth < MAX_INCLUDE_DEPTH
        ) {
          for (const included of includes(arg)) read(included, depth + 1);
        }
      } else {
        words.push(t);
      }
    }
  };
  read(config, 0);
  return listens;
}

/**
 * Flat list for ProbeResults.configListens. Virtual hosts share listen sockets in nginx, so
 * the same address in two server blocks is normal: an address appears here as many times as
 * the most any single server block declares it, so a duplicate means "twice in one server".
 */
export function flattenNginxListens(listens: readonly NginxListen[]): string[] {
  const perServer = new Map<string, Map<number, number>>();
  for (const l of listens) {
    const counts = perServer.get(l.address) ?? new Map<number, number>();
    counts.set(l.server, (counts.get(l.server) ?? 0) + 1);
    perServer.set(l.address, counts);
  }
  const out: string[] = [];
  for (const [address, counts] of perServer) {
    const times = Math.max(...counts.values());
    for (let i = 0; i < times; i++) out.push(address);
  }
  return out;
}
