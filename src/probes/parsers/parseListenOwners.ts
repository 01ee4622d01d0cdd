/** One listener the managed pid holds: the socket's inode and where it sits in the fd table. */
export interface ListenOwner {
  inode: number;
  pid: number;
  fd: number;
}

/** `INODE PID FD` lines of the listen-owners section (catalogue listenerSection). */
export function parseListenOwners(output: string): ListenOwner[] {
  const owners: ListenOwner[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\d+) (\d+) (\d+)$/.exec(line.trim());
    if (m) owners.push({ inode: Number(m[1]), pid: Number(m[2]), fd: Number(m[3]) });
  }
  return owners;
}

/** The `ino:N` field of an `ss -e` line; null when ss printed none. */
export function socketInode(ssLine: string): number | null {
  const m = /\sino:(\d+)(?:\s|$)/.exec(ssLine);
  return m ? Number(m[1]) : null;
}
