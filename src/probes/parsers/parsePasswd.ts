/** `getent passwd UID…` (or /etc/passwd) lines to a uid -> user name map. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid) && !users.has(Number(uid))) {
      users.set(Number(uid), name);
    }
  }
  return users;
}
