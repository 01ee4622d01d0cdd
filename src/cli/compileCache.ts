import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The parts of node's CommonJS loader the cache replaces or calls (not in its typings). */
interface CjsModule {
  exports: unknown;
  require: (id: string) => unknown;
  _compile: (content: string, filename: string, format?: string) => unknown;
}
interface CjsLoader {
  prototype: CjsModule;
  _cache: unknown;
  _extensions: unknown;
  _resolveFilename: (request: string, parent: CjsModule, isMain: boolean, opts?: unknown) => string;
  _resolveLookupPaths: (request: string, parent: CjsModule) => string[] | null;
}

interface Entry {
  hash: string;
  data: Buffer;
}

/** Where the cache lives: PORTBOT_COMPILE_CACHE names a directory, `off` turns it off. */
export function compileCacheDir(env: Readonly<Record<string, string | undefined>>): string | null {
  const set = env.PORTBOT_COMPILE_CACHE;
  if (set === 'off') return null;
  if (set !== undefined && set !== '') return set;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'portbot', 'compile-cache');
  try {
    return join(homedir(), '.cache', 'portbot', 'compile-cache');
  } catch {
    // No HOME and no passwd entry (a container under an arbitrary uid): run without a cache.
    return null;
  }
}

/**
 * The folder, made private if new, when it is ours alone: a real directory (not a symlink)
 * owned by this user and writable by nobody else. Code found there runs as us, so a folder
 * another user can write (a shared PORTBOT_COMPILE_CACHE or XDG_CACHE_HOME) turns the cache off.
 */
function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = process.geteuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * V8 code cache for the CLI's CommonJS modules, what node 22's `module.enableCompileCache()`
 * does (node 20 has none): loading zod, yaml, ssh2 and the diagnose path is most of a one-host
 * `portbot diagnose` (bench "CLI start"), and compiling is a good part of that. All modules'
 * code goes into one file, read once; an entry is used only when the module's source hash
 * matches, and V8 itself refuses data from another V8 or other flags. New or refused entries
 * are written back when the process exits (atomically: a temporary file renamed). Any failure
 * to read or write the cache leaves the module compiled as usual.
 */
export function enableCompileCache(dir: string): void {
  const nodeModule = Module as unknown as CjsLoader & { enableCompileCache?: (d: string) => void };
  if (!privateDir(dir)) return;
  if (typeof nodeModule.enableCompileCache === 'function') {
    nodeModule.enableCompileCache(dir);
    return;
  }
  // Source maps for stack traces are attached by node's own compile step.
  if (process.sourceMapsEnabled) return;
  // One file per node and per installed CLI, so that copies side by side (or an old build) do
  // not grow one file for all.
  const main = createHash('sha1')
    .update(process.argv[1] ?? '')
    .digest('hex')
    .slice(0, 12);
  const file = join(dir, `${process.version}-${process.arch}-${main}.bin`);
  const entries = readCache(file);
  const fresh = new Map<string, { hash: string; script: Script }>();
  const nodeCompile = nodeModule.prototype._compile;

  nodeModule.prototype._compile = function compileCached(
    this: CjsModule,
    content,
    filename,
    format,
  ) {
    // An ES module reached by require() (node 20.19+ says so in `format`), and a module that
    // imports dynamically, need node's own loader, which a vm.Script lacks.
    if ((format !== undefined && format !== 'commonjs') || /\bimport\s*\(/.test(content)) {
      return nodeCompile.call(this, content, filename, format);
    }
    const hash = createHash('sha1').update(content).digest('base64');
    const cached = entries.get(filename);
    const cachedData = cached?.hash === hash ? cached.data : undefined;
    // `#!` is valid only at the very start of a script, not inside the wrapper; `//` keeps columns.
    const source = Module.wrap(content.startsWith('#!') ? `//${content.slice(2)}` : content);
    const script = new Script(source, { filename, ...(cachedData ? { cachedData } : {}) });
    if (cachedData === undefined || script.cachedDataRejected === true) {
      fresh.set(filename, { hash, script });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (
      ...args: unknown[]
    ) => unknown;
    return wrapper.call(
      this.exports,
      this.exports,
      requireFor(nodeModule, this),
      this,
      filename,
      dirname(filename),
    );
  };

  process.once('exit', () => {
    if (fresh.size === 0) return;
    for (const [filename, { hash, script }] of fresh) {
      // Taken at exit, the data holds every function compiled while the command ran.
      entries.set(filename, { hash, data: script.createCachedData() });
    }
    writeCache(file, entries);
  });
}

/** What node hands a module as `require`, built from the loader's public-enough parts. */
function requireFor(loader: CjsLoader, mod: CjsModule): NodeJS.Require {
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  Object.assign(require, { extensions: loader._extensions, cache: loader._cache });
  return require;
}

// File layout: 4-byte length of a JSON index [filename, hash, byteLength][], the index, the data.
function readCache(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  try {
    const blob = readTrusted(file);
    if (blob === null) return entries;
    const indexLength = blob.readUInt32LE(0);
    const index = JSON.parse(blob.subarray(4, 4 + indexLength).toString()) as unknown;
    if (!Array.isArray(index)) return entries;
    let offset = 4 + indexLength;
    for (const row of index as unknown[]) {
      if (!Array.isArray(row)) return new Map();
      const [filename, hash, length] = row as unknown[];
      if (typeof filename !== 'string' || typeof hash !== 'string' || typeof length !== 'number') {
        return new Map();
      }
      if (offset + length > blob.length) return new Map();
      entries.set(filename, { hash, data: blob.subarray(offset, offset + length) });
      offset += length;
    }
  } catch {
    // No cache yet, or one that cannot be read: every module compiles as usual.
  }
  return entries;
}

/**
 * V8 runs cached code without checking it against the source beyond a hash: a cache file someone
 * else could write would run their code as whoever runs portbot (often root on an LB). Only a
 * file owned by this user and writable by nobody else is read (checked on the open descriptor,
 * so the file cannot be swapped between the check and the read).
 */
function readTrusted(file: string): Buffer | null {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    const uid = process.geteuid?.();
    if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
      return null;
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeCache(file: string, entries: ReadonlyMap<string, Entry>): void {
  const rows = [...entries].map(([filename, e]) => [filename, e.hash, e.data.length]);
  const index = Buffer.from(JSON.stringify(rows));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(index.length, 0);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, Buffer.concat([head, index, ...[...entries.values()].map((e) => e.data)]), {
      mode: 0o600,
      flag: 'wx',
    });
    renameSync(temp, file);
  } catch {
    // A read-only home or a full disk costs the next run its speed, nothing else; a temporary
    // file left behind would block the next write under the same pid (containers reuse them).
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
  }
}
