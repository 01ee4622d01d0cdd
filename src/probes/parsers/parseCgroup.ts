export interface CgroupOrigin {
  /** systemd unit the process runs in, e.g. "nginx.service"; null in a container or none. */
  unit: string | null;
  /** "docker:<id>", "kubepods:pod<uid>/<id>", "podman:<id>", "containerd:<id>", "crio:<id>". */
  container: string | null;
}

const HEX64 = '([0-9a-f]{64})';

interface Split {
  hierarchy: string;
  controllers: string;
  path: string;
}

function split(line: string): Split | null {
  const a = line.indexOf(':');
  const b = a < 0 ? -1 : line.indexOf(':', a + 1);
  if (b < 0) return null;
  // The path itself may contain ':' (containerd's "…slice:cri-containerd:<id>" form).
  return {
    hierarchy: line.slice(0, a),
    controllers: line.slice(a + 1, b),
    path: line.slice(b + 1),
  };
}

function containerOf(path: string): string | null {
  if (path.includes('kubepods')) {
    const pod =
      /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|[0-9a-f]{32})/.exec(
        path,
      );
    const ids = [...path.matchAll(new RegExp(HEX64, 'g'))];
    const id = ids[ids.length - 1]?.[1];
    if (pod?.[1] || id) {
      // The systemd cgroup driver spells the pod UID with '_' instead of '-'.
      const uid = pod?.[1]?.replace(/_/g, '-') ?? '?';
      return `kubepods:pod${uid}/${id ?? '?'}`;
    }
    return 'kubepods:?';
  }
  const rules: [RegExp, string][] = [
    [new RegExp(`/docker[-/]${HEX64}`), 'docker'],
    [new RegExp(`/libpod-${HEX64}\\.scope`), 'podman'],
    [new RegExp(`cri-containerd[-:]${HEX64}`), 'containerd'],
    [new RegExp(`/crio-${HEX64}`), 'crio'],
  ];
  for (const [re, engine] of rules) {
    const m = re.exec(path);
    if (m?.[1]) return `${engine}:${m[1]}`;
  }
  return null;
}

function unitOf(path: string): string | null {
  const units = path.split('/').filter((c) => /\.(service|scope)$/.test(c));
  return units[units.length - 1] ?? null;
}

/** Where a process lives, from its /proc/PID/cgroup lines (cgroup v1, v2 or hybrid). */
export function parseCgroup(lines: readonly string[]): CgroupOrigin {
  const entries = lines.map((l) => split(l.trim())).filter((e): e is Split => e !== null);
  for (const e of entries) {
    const container = containerOf(e.path);
    if (container) return { unit: null, container };
  }
  // The unified (0::) line is authoritative under v2/hybrid, name=systemd under v1.
  const systemd =
    entries.find((e) => e.hierarchy === '0' && e.controllers === '') ??
    entries.find((e) => e.controllers === 'name=systemd');
  return { unit: systemd ? unitOf(systemd.path) : null, container: null };
}
