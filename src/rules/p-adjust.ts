/**
 * Multiple-comparison adjustment of p-values (pure). With 30 features tested per window at
 * p < 0.05, about one and a half fire by chance every window; adjusting across the family
 * cuts those false alerts. Same results as R's p.adjust / statsmodels multipletests.
 */
import type { PAdjustMethod } from './types.js';

export function adjustPValues(pvalues: readonly number[], method: PAdjustMethod): number[] {
  const m = pvalues.length;
  if (method === 'none' || m <= 1) return [...pvalues];
  if (method === 'bonferroni') return pvalues.map((p) => Math.min(1, p * m));
  // Benjamini–Hochberg step-up: adjusted p_(i) = min over j ≥ i of p_(j)·m/j, capped at 1.
  const order = pvalues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const [p, i] = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    out[i] = Math.min(1, running);
  }
  return out;
}
