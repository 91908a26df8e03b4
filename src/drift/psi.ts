/**
 * Population Stability Index from bin counts. Counts in, so the same scorer serves a window
 * held in memory, DuckDB GROUP BY counts, or counts merged across partitions.
 */
import { InputError } from '../errors.js';

/** Share that stands in for an empty bin so ln(cur/base) stays finite (no renormalisation). */
export const DEFAULT_PSI_EPSILON = 1e-4;

function total(counts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i]!;
  return s;
}

/**
 * PSI = Σ (cur − base) · ln(cur / base) over bins, with proportions count/n per side and a zero
 * proportion replaced by `epsilon`. Both sides must have at least one count.
 */
export function psiFromCounts(
  baseCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  epsilon: number = DEFAULT_PSI_EPSILON,
): number {
  if (baseCounts.length !== curCounts.length) {
    throw new InputError(`PSI needs the same bins on both sides (baseline ${baseCounts.length}, current ${curCounts.length})`);
  }
  if (!(epsilon > 0)) throw new InputError(`PSI epsilon must be > 0, got ${epsilon}`);
  const nBase = total(baseCounts);
  const nCur = total(curCounts);
  if (nBase <= 0 || nCur <= 0) throw new InputError(`PSI needs non-empty samples (baseline n=${nBase}, current n=${nCur})`);
  let psi = 0;
  for (let i = 0; i < baseCounts.length; i++) {
    const b = baseCounts[i]! === 0 ? epsilon : baseCounts[i]! / nBase;
    const c = curCounts[i]! === 0 ? epsilon : curCounts[i]! / nCur;
    psi += (c - b) * Math.log(c / b);
  }
  return psi;
}

export interface AlignedCounts {
  /** Category of each bin: every category seen on either side, baseline order first. */
  readonly labels: readonly string[];
  readonly base: Float64Array;
  readonly cur: Float64Array;
}

/**
 * One bin per category seen on either side: new categories get a 0 baseline count, vanished
 * ones a 0 current count (PSI then uses ε for them). Zero-count entries are not categories.
 */
export function alignCategoryCounts(
  base: ReadonlyMap<string, number>,
  cur: ReadonlyMap<string, number>,
): AlignedCounts {
  const labels: string[] = [];
  for (const [k, v] of base) if (v > 0) labels.push(k);
  for (const [k, v] of cur) if (v > 0 && !((base.get(k) ?? 0) > 0)) labels.push(k);
  const b = new Float64Array(labels.length);
  const c = new Float64Array(labels.length);
  labels.forEach((k, i) => {
    b[i] = base.get(k) ?? 0;
    c[i] = cur.get(k) ?? 0;
  });
  return { labels, base: b, cur: c };
}
