/**
 * Host and haGroup names: typed in chat and carried in alerts, so kept to an alphabet no shell or
 * Slack would interpret. The inventory schema and the slash-command parser share this rule, so
 * what a user may type is exactly what the inventory may contain.
 */
export const INVENTORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isInventoryName(text: string): boolean {
  return INVENTORY_NAME.test(text);
}
