/** The message of anything thrown, for logs (never for Slack: see PortbotError.userFacing). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
