/** systemd unit names, `\x2d` escapes included; no leading '-' that systemctl could take as an option. */
export const UNIT_NAME = /^[A-Za-z0-9@_:.\\][A-Za-z0-9@_:.\\-]{0,255}$/;

export function isUnitName(text: string): boolean {
  return UNIT_NAME.test(text);
}
