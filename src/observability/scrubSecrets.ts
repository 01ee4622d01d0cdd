/** Bearer credentials and Slack tokens inside free text (library log lines, error messages). */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
];

/** Redaction by path cannot see inside strings; this catches tokens that libraries stringify. */
export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, [re, replacement]) => t.replace(re, replacement), text);
}
