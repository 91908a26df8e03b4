/**
 * Jensen–Shannon distance, equal to scipy.spatial.distance.jensenshannon(p, q) (natural log):
 * sqrt( (KL(p‖m) + KL(q‖m)) / 2 ), m = (p + q)/2, after normalising p and q to sum 1.
 * Takes counts (or raw proportions); no ε smoothing, empty bins contribute 0.
 */
import { InputError } from '../errors.js';

function relEntrSum(p: Float64Array, m: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    // rel_entr(x, y) = x ln(x/y) for x > 0; 0 for x = 0 (m ≥ p/2 > 0 whenever x > 0).
    if (x > 0) s += x * Math.log(x / m[i]!);
  }
  return s;
}

function normalise(w: ArrayLike<number>): Float64Array {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]!;
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i]! / s;
  return out;
}

export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new InputError(`Jensen–Shannon needs the same bins on both sides (${p.length} vs ${q.length})`);
  const pn = normalise(p);
  const qn = normalise(q);
  const m = new Float64Array(pn.length);
  for (let i = 0; i < m.length; i++) m[i] = (pn[i]! + qn[i]!) / 2;
  const js = relEntrSum(pn, m) + relEntrSum(qn, m);
  // Rounding can leave a -1e-17 for identical inputs; scipy would return NaN there, we return 0.
  return Math.sqrt(Math.max(js, 0) / 2);
}

/** JS distance over bins from counts, with the raw proportions count/n of each side (scipy input). */
export function jensenShannonFromCounts(baseCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  return jensenShannonDistance(normalise(baseCounts), normalise(curCounts));
}
