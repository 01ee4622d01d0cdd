/** What a CLI command may touch besides its arguments: injected so commands are testable. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  now: () => number;
  /**
   * Set only when stderr is a terminal: writes as given, no newline added, so a progress line can
   * be rewritten in place. Absent when piped or redirected, and then nothing of the kind is written.
   */
  stderrTty?: (chunk: string) => void;
}
