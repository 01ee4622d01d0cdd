import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { waitFor } from './waitFor';

/**
 * The lab's bridge and pb-* namespaces are machine-wide, so two live labs would tear each
 * other down. The owner file names the process that started the running lab; a lab whose
 * owner has exited (e.g. `npm run lab:up`, a crashed test) counts as a leftover.
 */
export const OWNER_FILE = '/run/portbot-lab.owner';

export interface LabOwner {
  pid: number;
  dir: string;
  startedAt: string;
}

export function readOwner(): LabOwner | null {
  if (!existsSync(OWNER_FILE)) return null;
  try {
    return JSON.parse(readFileSync(OWNER_FILE, 'utf8')) as LabOwner;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

/** A live process other than this one that owns a running lab, if any. */
export function liveOtherOwner(): LabOwner | null {
  const o = readOwner();
  return o !== null && o.pid !== process.pid && alive(o.pid) ? o : null;
}

/** Waits (up to waitMs) until no other live process owns a lab, then records this process as owner. */
export async function acquireLab(
  dir: string,
  waitMs: number,
  log: (m: string) => void,
): Promise<void> {
  const other = liveOtherOwner();
  if (other !== null) {
    log(
      `lab in use by pid ${other.pid} (${other.dir}); waiting up to ${Math.round(waitMs / 1000)} s`,
    );
    await waitFor(`the lab of pid ${other.pid} to stop`, () => liveOtherOwner() === null, {
      timeoutMs: waitMs,
      intervalMs: 500,
    });
  }
  const me: LabOwner = { pid: process.pid, dir, startedAt: new Date().toISOString() };
  writeFileSync(OWNER_FILE, JSON.stringify(me));
}

export function releaseLab(): void {
  if (readOwner()?.pid === process.pid) rmSync(OWNER_FILE, { force: true });
}

/** `lab:down` by hand: the lab is gone whoever started it. */
export function clearOwner(): void {
  rmSync(OWNER_FILE, { force: true });
}
