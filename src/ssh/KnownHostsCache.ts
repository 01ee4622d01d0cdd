import { readFile, stat } from 'node:fs/promises';
import { PortbotError } from '../domain/PortbotError';
import { errnoCode } from './errnoCode';
import { parseKnownHosts, type ParsedKnownHosts } from './parseKnownHosts';

interface CacheEntry {
  mtimeMs: number;
  size: number;
  parsed: ParsedKnownHosts;
}

/**
 * Reads and parses a known_hosts file, re-reading only when its mtime or size changed, so a
 * fan-out over 100 hosts parses the file once. `onWarning` hears about skipped lines once per parse.
 */
export class KnownHostsCache {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly onWarning: (message: string) => void = () => undefined) {}

  async load(path: string): Promise<ParsedKnownHosts> {
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      throw new PortbotError(
        'HOST_KEY_UNKNOWN',
        `known_hosts file ${path} cannot be read: ${errnoCode(err) ?? String(err)}`,
        {
          cause: err,
        },
      );
    }
    const hit = this.cache.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.parsed;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new PortbotError(
        'HOST_KEY_UNKNOWN',
        `known_hosts file ${path} cannot be read: ${errnoCode(err) ?? String(err)}`,
        {
          cause: err,
        },
      );
    }
    const parsed = parseKnownHosts(text);
    for (const w of parsed.warnings) this.onWarning(`${path} ${w}`);
    this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, parsed });
    return parsed;
  }
}
