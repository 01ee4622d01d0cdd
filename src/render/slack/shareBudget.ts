/**
 * Split `budget` over items that want `needs[i]` each, at most `cap` per item: small items get
 * all they need and what they leave goes to the large ones (water-filling), so one huge output
 * cannot starve the rest.
 */
export function shareBudget(needs: readonly number[], budget: number, cap: number): number[] {
  const shares = needs.map(() => 0);
  const order = needs.map((_, i) => i).sort((a, b) => (needs[a] ?? 0) - (needs[b] ?? 0));
  let remaining = Math.max(0, budget);
  order.forEach((index, k) => {
    const fair = Math.floor(remaining / (order.length - k));
    const share = Math.min(needs[index] ?? 0, fair, cap);
    shares[index] = share;
    remaining -= share;
  });
  return shares;
}
