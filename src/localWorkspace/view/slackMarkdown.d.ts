import type { ParserRules } from 'simple-markdown';

declare module 'slack-markdown' {
  /** The parser rules behind toHTML: exported by the package, missing from its typings. */
  export const rules: ParserRules;
}
