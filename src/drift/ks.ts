/**
 * Two-sample Kolmogorov–Smirnov test, equal to scipy.stats.ks_2samp(data1, data2) with the
 * defaults (two-sided, method='auto'), scipy ≥ 1.11 result fields included.
 *
 * Statistic: scipy evaluates both ECDFs at every point of concat(sorted1, sorted2) with
 * searchsorted(side='right'), takes the first arg-max / arg-min of cdf1/n1 − cdf2/n2 in that
 * concatenated order, and reports the value there as statistic_location. Ties in the
 * difference therefore resolve to the smallest such value of sample 1, else of sample 2.
 * We get the same answer without materialising the 2·(n1+n2) arrays: walk the distinct values
 * of sample 2 and gallop through sample 1 between them. Between two sample-2 values the
 * difference only grows with sample-1 rank, so each gap contributes one max and one min
 * candidate. The differences are formed with the same float operations (c1/n1 − c2/n2), so
 * equal-looking ties break identically.
 *
 * p-value: exact lattice-path count when max(n1, n2) ≤ 10000, else kstwo.sf(D, round(n1·n2/(n1+n2)));
 * if the exact value is unusable scipy warns and falls back to asymp — so do we.
 */
import type { KsResult } from './types.js';
import { InputError } from '../errors.js';
import { attemptExactTwoSided, roundHalfEven } from './ks-exact.js';
import { kstwoSf } from './kolmogorov.js';

/** Above this sample size scipy's method='auto' uses the asymptotic distribution. */
export const KS_MAX_EXACT_N = 10000;

export interface KsStatistic {
  readonly statistic: number;
  readonly statisticLocation: number;
  readonly statisticSign: 1 | -1;
}

/** Linear probes before switching to galloping: most gaps between window values are short. */
const LINEAR_PROBES = 16;

/** First index k ≥ from with sorted[k] > x (≥ x when `inclusive` is false). */
function seekFrom(sorted: Float64Array, x: number, from: number, inclusive: boolean): number {
  const n = sorted.length;
  let k = from;
  const stop = Math.min(n, from + LINEAR_PROBES);
  if (inclusive) {
    while (k < stop && sorted[k]! <= x) k++;
  } else {
    while (k < stop && sorted[k]! < x) k++;
  }
  if (k < stop || k === n) return k;
  // Long run: exponential probe, then binary search in (lo, hi].
  let lo = k - 1;
  let step = 1;
  let hi = k;
  while (hi < n && (inclusive ? sorted[hi]! <= x : sorted[hi]! < x)) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > n) hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (inclusive ? sorted[mid]! <= x : sorted[mid]! < x) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * KS statistic with scipy's location and sign, from two ascending, NaN-free samples.
 * O(n1 + n2) at worst, O(n2 · log(n1/n2)) when sample 1 is much larger (a baseline vs a window).
 */
export function ksStatisticSorted(sorted1: Float64Array, sorted2: Float64Array): KsStatistic {
  const n1 = sorted1.length;
  const n2 = sorted2.length;
  if (n1 === 0 || n2 === 0) throw new InputError(`KS test needs two non-empty samples (got n1=${n1}, n2=${n2})`);

  // Extremes among sample-1 points (earlier in scipy's concatenated order) and sample-2 points.
  let max1 = Number.NEGATIVE_INFINITY;
  let max1Loc = Number.NaN;
  let min1 = Number.POSITIVE_INFINITY;
  let min1Loc = Number.NaN;
  let max2 = Number.NEGATIVE_INFINITY;
  let max2Loc = Number.NaN;
  let min2 = Number.POSITIVE_INFINITY;
  let min2Loc = Number.NaN;

  let i1 = 0; // sample-1 values consumed (all ≤ the previous sample-2 value)
  let j = 0; // sample-2 values consumed
  while (i1 < n1 || j < n2) {
    // Sample-1 values strictly below the next sample-2 value (all of them once sample 2 is done).
    const v = j < n2 ? sorted2[j]! : Number.POSITIVE_INFINITY;
    const mid = j < n2 ? seekFrom(sorted1, v, i1, false) : n1;
    if (mid > i1) {
      // c2 = j is constant here and the difference rises with c1, so only the first distinct
      // value (minimum) and the last one (maximum) of the run can be extremes.
      const first = sorted1[i1]!;
      const firstEnd = sorted1[i1 + 1] === first ? seekFrom(sorted1, first, i1 + 1, true) : i1 + 1;
      const c2 = j / n2;
      const dFirst = firstEnd / n1 - c2;
      if (dFirst < min1) {
        min1 = dFirst;
        min1Loc = first;
      }
      if (dFirst > max1) {
        max1 = dFirst;
        max1Loc = first;
      }
      const dLast = mid / n1 - c2;
      if (dLast > max1) {
        max1 = dLast;
        // scipy reports the first index of the last value's run; only -0 vs +0 can tell them apart.
        let start = mid - 1;
        while (start > i1 && sorted1[start - 1] === sorted1[mid - 1]) start--;
        max1Loc = sorted1[start]!;
      }
    }
    if (j >= n2) break;
    let jEnd = j + 1;
    while (jEnd < n2 && sorted2[jEnd] === v) jEnd++;
    const hi = sorted1[mid] === v ? seekFrom(sorted1, v, mid, true) : mid;
    const d = hi / n1 - jEnd / n2;
    if (hi > mid) {
      // v also occurs in sample 1: those points see the same difference (location taken from
      // sample 1, which matters only for -0 vs +0).
      const v1 = sorted1[mid]!;
      if (d > max1) {
        max1 = d;
        max1Loc = v1;
      }
      if (d < min1) {
        min1 = d;
        min1Loc = v1;
      }
    }
    if (d > max2) {
      max2 = d;
      max2Loc = v;
    }
    if (d < min2) {
      min2 = d;
      min2Loc = v;
    }
    i1 = hi;
    j = jEnd;
  }

  // First occurrence in concat(sorted1, sorted2): sample 1 wins ties.
  const maxS = max1 >= max2 ? max1 : max2;
  const maxLoc = max1 >= max2 ? max1Loc : max2Loc;
  const minRaw = min1 <= min2 ? min1 : min2;
  const minLoc = min1 <= min2 ? min1Loc : min2Loc;
  const minS = Math.min(Math.max(-minRaw, 0), 1);
  if (minS > maxS) return { statistic: minS, statisticLocation: minLoc, statisticSign: -1 };
  return { statistic: maxS, statisticLocation: maxLoc, statisticSign: 1 };
}

export interface KsPValue {
  readonly pvalue: number;
  /** The statistic scipy reports: snapped to the h/lcm lattice when the exact path ran. */
  readonly statistic: number;
  readonly method: 'exact' | 'asymp';
}

/** Two-sided ks_2samp p-value for statistic d and sample sizes n1, n2 (method='auto'). */
export function ks2SampPValue(d: number, n1: number, n2: number): KsPValue {
  let stat = d;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = attemptExactTwoSided(n1, n2, d);
    if (exact.success) return { pvalue: clip01(exact.pvalue), statistic: exact.d, method: 'exact' };
    stat = exact.d; // scipy keeps the snapped statistic when it falls back
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { pvalue: clip01(kstwoSf(stat, roundHalfEven(en))), statistic: stat, method: 'asymp' };
}

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** scipy.stats.ks_2samp(sorted1, sorted2) on ascending, finite samples. */
export function ks2SampSorted(sorted1: Float64Array, sorted2: Float64Array): KsResult {
  const s = ksStatisticSorted(sorted1, sorted2);
  const p = ks2SampPValue(s.statistic, sorted1.length, sorted2.length);
  return {
    statistic: p.statistic,
    pvalue: p.pvalue,
    statisticLocation: s.statisticLocation,
    statisticSign: s.statisticSign,
    method: p.method,
  };
}

/** Ascending copy of the finite values (NaN and ±Inf are missing values, not data). */
export function finiteSortedCopy(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x)) out[k++] = x;
  }
  return (k === out.length ? out : out.slice(0, k)).sort();
}

/** scipy.stats.ks_2samp on samples in any order; non-finite values are dropped first. */
export function ks2Samp(data1: ArrayLike<number>, data2: ArrayLike<number>): KsResult {
  return ks2SampSorted(finiteSortedCopy(data1), finiteSortedCopy(data2));
}
