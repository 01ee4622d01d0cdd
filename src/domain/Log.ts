/** The logging the core needs; pino's Logger satisfies it. Messages are static, data beside them. */
export interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}
