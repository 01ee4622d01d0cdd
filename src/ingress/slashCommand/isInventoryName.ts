// The same alphabet as host and haGroup names in config/inventorySchema.ts: what a user may
// type is exactly what the inventory may contain, and nothing a shell or Slack would interpret.
const INVENTORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isInventoryName(text: string): boolean {
  return INVENTORY_NAME.test(text);
}
