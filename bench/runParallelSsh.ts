import { spawnCollect } from './spawnCollect';

export interface ParallelSshOptions {
  hostsFile: string;
  privateKeyPath: string;
  knownHostsPath: string;
  user: string;
  parallelism: number;
  timeoutSec: number;
  command: string;
  /** Sent to every host's stdin (parallel-ssh -I), as portbot sends its probe script. */
  stdin?: string | null;
  /** Extra OpenSSH options (e.g. TUNED_OPENSSH_OPTIONS); none: OpenSSH's defaults. */
  sshOptions?: readonly string[];
}

/**
 * OpenSSH tuned as an experienced operator would for a fan-out (issue 12 item 2): the cheapest
 * key exchange and cipher both sides support, and no GSSAPI attempt before the key.
 */
export const TUNED_OPENSSH_OPTIONS: readonly string[] = [
  '-o KexAlgorithms=curve25519-sha256',
  '-o Ciphers=aes128-gcm@openssh.com',
  '-o GSSAPIAuthentication=no',
];

export interface ParallelSshRun {
  wallMs: number;
  exitCode: number | null;
  /** Hosts whose ssh ran the command to the end (exit 0, or the command's own non-zero status). */
  completed: number;
  /** Hosts where ssh itself failed (255), or pssh killed it (timeout). */
  failed: number;
  outputBytes: number;
  /** Last lines of stderr and the first failure line, for the report when something broke. */
  problem?: string;
}

const STATUS_LINE = /^\[\d+\] \S+ \[(SUCCESS|FAILURE)\] (\S+)(.*)$/;

/**
 * Runs the same fan-out with Debian's parallel-ssh, one OpenSSH client per host. -F /dev/null
 * keeps root's ~/.ssh/config out of the comparison; host keys are verified against the lab's
 * known_hosts exactly as portbot verifies them.
 */
export function runParallelSsh(o: ParallelSshOptions): Promise<ParallelSshRun> {
  const extra = [
    '-F /dev/null',
    `-i ${o.privateKeyPath}`,
    `-o UserKnownHostsFile=${o.knownHostsPath}`,
    '-o StrictHostKeyChecking=yes',
    '-o BatchMode=yes',
    '-o LogLevel=ERROR',
    ...(o.sshOptions ?? []),
  ].join(' ');
  const args = [
    '-h',
    o.hostsFile,
    '-l',
    o.user,
    '-p',
    String(o.parallelism),
    '-t',
    String(o.timeoutSec),
  ];
  args.push('-x', extra, '-i');
  if (o.stdin) args.push('-I');
  args.push(o.command);
  return spawnCollect('/usr/bin/parallel-ssh', args, (o.timeoutSec + 15) * 1000, {
    stdin: o.stdin ?? '',
  }).then(({ code, stdout, stderr, wallMs }) => {
    let completed = 0;
    let firstFailure: string | undefined;
    for (const line of stdout.split('\n')) {
      const m = STATUS_LINE.exec(line);
      if (!m) continue;
      const exitedNormally =
        m[1] === 'SUCCESS' || /Exited with error code (?!255\b)\d+/.test(m[3] ?? '');
      if (exitedNormally) completed += 1;
      else firstFailure ??= line;
    }
    const statusLines = stdout.split('\n').filter((l) => STATUS_LINE.test(l)).length;
    const problem = [firstFailure, stderrTail(stderr)].filter((s) => s).join(' ; ');
    return {
      wallMs,
      exitCode: code,
      completed,
      failed: statusLines - completed,
      outputBytes: Buffer.byteLength(stdout),
      ...(problem ? { problem } : {}),
    };
  });
}

/** The last lines of a peer's stderr, for the report when something broke. */
export function stderrTail(stderr: string): string {
  return stderr.trim().split('\n').slice(-3).join(' | ');
}
