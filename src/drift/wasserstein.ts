/**
 * First Wasserstein distance between two 1-D empirical distributions, equal to
 * scipy.stats.wasserstein_distance(u, v): ∫ |F_u(x) − F_v(x)| dx, evaluated exactly as the sum
 * over consecutive pooled values of |F_u − F_v| · gap. One merge walk over both sorted samples.
 */
import { InputError } from '../errors.js';

/**
 * Wasserstein-1 distance from two ascending, finite samples: one merge walk, O(n_u + n_v).
 * Between consecutive pooled values x_k < x_{k+1} both CDFs are constant, so the integral is
 * Σ |F_u(x_k) − F_v(x_k)| · (x_{k+1} − x_k) — the terms scipy forms (count/n, absolute
 * difference, times the gap). Walking alternate runs of u and v values keeps the other side's
 * CDF fixed inside each tight loop; equal values give zero-width steps, so ties need no care.
 * All terms are ≥ 0, so plain summation (per run, then overall) loses at most ~n·ε relative.
 */
export function wassersteinSorted(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  if (nu === 0 || nv === 0) throw new InputError(`Wasserstein distance needs non-empty samples (got ${nu} and ${nv})`);
  let i = 0;
  let j = 0;
  let sum = 0;
  let prev = u[0]! < v[0]! ? u[0]! : v[0]!;
  while (i < nu || j < nv) {
    let run = 0;
    // u values up to and including the next v value: F_v stays j/nv.
    const vNext = j < nv ? v[j]! : Number.POSITIVE_INFINITY;
    const fv = j / nv;
    while (i < nu) {
      const x = u[i]!;
      if (x > vNext) break;
      run += Math.abs(i / nu - fv) * (x - prev);
      prev = x;
      i++;
    }
    // v values strictly below the next u value: F_u stays i/nu.
    const uNext = i < nu ? u[i]! : Number.POSITIVE_INFINITY;
    const fu = i / nu;
    while (j < nv) {
      const x = v[j]!;
      if (x >= uNext) break;
      run += Math.abs(fu - j / nv) * (x - prev);
      prev = x;
      j++;
    }
    sum += run;
  }
  return sum;
}

/** Population standard deviation (numpy.std, ddof=0), two-pass. */
export function stdPopulation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let k = 0; k < n; k++) s += values[k]!;
  const mean = s / n;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const d = values[k]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}

/** Floor on the baseline spread used to normalise the distance (a constant baseline has std 0). */
export const WASSERSTEIN_MIN_SCALE = 0.001;

/** Wasserstein distance divided by max(std(baseline), 0.001). */
export function wassersteinNormed(distance: number, baselineStd: number): number {
  return distance / Math.max(baselineStd, WASSERSTEIN_MIN_SCALE);
}
