/**
 * PSI binning: interior edges from baseline quantiles, open-ended outer bins, and counting
 * values into them. Edges are frozen in the baseline so every window is scored on the same bins.
 */
import { InputError } from '../errors.js';
import { quantileSorted } from './quantile.js';

export const DEFAULT_PSI_BINS = 10;

/**
 * Interior bin edges: np.quantile(sorted, k/B) for k = 1 … B−1, duplicates removed.
 * A constant column gives one edge (two bins: below it, and at-or-above it).
 */
export function psiEdges(sorted: Float64Array, bins: number = DEFAULT_PSI_BINS): Float64Array {
  if (!Number.isInteger(bins) || bins < 1) throw new InputError(`PSI bin count must be an integer ≥ 1, got ${bins}`);
  if (sorted.length === 0) return new Float64Array(0);
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = quantileSorted(sorted, k / bins);
    // Quantiles of a sorted sample are non-decreasing, so equal edges are adjacent.
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  return Float64Array.from(edges);
}

/** Number of values < x in an ascending array (searchsorted side='left'). */
export function lowerBound(sorted: ArrayLike<number>, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values ≤ x in an ascending array (searchsorted side='right'). */
export function upperBound(sorted: ArrayLike<number>, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bin of x: searchsorted(edges, x, side='right'), i.e. the number of edges ≤ x. */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  return upperBound(edges, x);
}

/** Counts per bin (edges.length + 1 bins) of ascending, NaN-free values: O(B log n). */
export function binCountsSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let prev = 0;
  for (let k = 0; k < edges.length; k++) {
    // Bin k holds values < edges[k] not already counted; value == edge goes right.
    const end = lowerBound(sorted, edges[k]!, prev);
    counts[k] = end - prev;
    prev = end;
  }
  counts[edges.length] = sorted.length - prev;
  return counts;
}

/**
 * Counts per bin of NaN-free values in any order (O(n log B)); pass `{ sorted: true }` for
 * ascending input to count in O(B log n) instead. NaN values are skipped.
 */
export function binCounts(values: ArrayLike<number>, edges: Float64Array, opts?: { sorted?: boolean }): Float64Array {
  if (opts?.sorted === true && values instanceof Float64Array) return binCountsSorted(values, edges);
  const counts = new Float64Array(edges.length + 1);
  const nEdges = edges.length;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    let lo = 0;
    let hi = nEdges;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]! += 1;
  }
  return counts;
}
