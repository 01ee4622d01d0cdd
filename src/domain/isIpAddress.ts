// The same IPv4 rule as zod's `z.ipv4()`, which the inventory schema used before the probes
// needed it too: the core validates without a schema library.
const IPV4 =
  /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/;
// Checked first so the URL parser below never reads '@', '\' or whitespace as part of an authority.
const IPV6_ALPHABET = /^[0-9a-fA-F:.]+$/;

/** IPv4 or IPv6 (no zone, no brackets): what `ip addr show to <vip>` takes, and no DNS name. */
export function isIpAddress(value: string): boolean {
  if (IPV4.test(value)) return true;
  // The WHATWG URL parser knows every IPv6 spelling (`::`, embedded IPv4), as zod's `z.ipv6()` relies on.
  return IPV6_ALPHABET.test(value) && URL.canParse(`http://[${value}]`);
}
