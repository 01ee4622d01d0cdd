import { LogLevel } from '@slack/web-api';
import type { Logger } from '@slack/web-api';

/** The WebClient logs every platform error; the tests provoke them on purpose. */
export function quietLogger(): Logger {
  const noop = (): void => undefined;
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    setLevel: noop,
    getLevel: () => LogLevel.ERROR,
    setName: noop,
  };
}
