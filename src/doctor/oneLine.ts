/**
 * Loader messages list one problem per line ("invalid inventory (2 problems):\n  a\n  b");
 * a doctor line holds them joined by "; ".
 */
export function oneLine(text: string): string {
  const [head = '', ...rest] = text
    .split('\n')
    .map((l) => l.trim().replace(/^- /, ''))
    .filter((l) => l !== '');
  if (rest.length === 0) return head;
  return `${head.replace(/:$/, '')}: ${rest.join('; ')}`;
}
