/**
 * Compare one feature's current sample with its baseline: every drift metric that applies to
 * the feature kind, plus null rates. Pure and synchronous; callers decide statuses (registry.ts).
 */
import type {
  CategoricalBaseline,
  CategoricalSample,
  DriftMetrics,
  FeatureBaseline,
  FeatureDrift,
  FeatureSample,
  MissingCounts,
  NumericBaseline,
  NumericSample,
} from './types.js';
import { InputError } from '../errors.js';
import { binCountsSorted, psiEdges } from './bins.js';
import { chi2Contingency2xK } from './chi2.js';
import { jensenShannonFromCounts } from './jensen-shannon.js';
import { ks2SampSorted } from './ks.js';
import { alignCategoryCounts, DEFAULT_PSI_EPSILON, psiFromCounts } from './psi.js';
import { stdPopulation, wassersteinNormed, wassersteinSorted } from './wasserstein.js';

export {
  categoricalBaselineFromValues,
  categoricalSampleFromValues,
  numericBaselineFromValues,
  numericSampleFromValues,
} from './build.js';

export interface CompareOptions {
  /** PSI bins; when it differs from the baseline's, edges are recomputed from baseline.sorted. */
  readonly psiBins?: number;
  /** Share used for empty PSI bins (default 1e-4). */
  readonly epsilon?: number;
}

function missing(m: MissingCounts): number {
  return m.nullCount + m.nanCount + m.infCount;
}

function rate(part: number, rows: number): number {
  return rows > 0 ? part / rows : 0;
}

/** Drop -Inf/+Inf/NaN that sorting leaves at the ends (inputs are meant to be finite already). */
function finiteView(sorted: Float64Array): Float64Array {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi && sorted[lo] === Number.NEGATIVE_INFINITY) lo++;
  while (hi > lo && !Number.isFinite(sorted[hi - 1]!)) hi--;
  return lo === 0 && hi === sorted.length ? sorted : sorted.subarray(lo, hi);
}

// The baseline spread is a property of the frozen baseline: compute it once per sorted array.
const stdCache = new WeakMap<Float64Array, number>();
function baselineStd(sorted: Float64Array): number {
  let s = stdCache.get(sorted);
  if (s === undefined) {
    s = stdPopulation(sorted);
    stdCache.set(sorted, s);
  }
  return s;
}

function compareNumeric(baseline: NumericBaseline, current: NumericSample, psiBins: number, epsilon: number): FeatureDrift {
  const base = finiteView(baseline.sorted);
  // A typed-array sort of a copy (native, no comparator) is the one O(n log n) step per window.
  const cur = finiteView(current.values.slice().sort());
  const metrics: DriftMetrics = {};
  if (base.length > 0 && cur.length > 0) {
    const edges =
      psiBins === baseline.psiBins && base === baseline.sorted ? baseline.psiEdges : psiEdges(base, psiBins);
    const baseCounts = binCountsSorted(base, edges);
    const curCounts = binCountsSorted(cur, edges);
    metrics.psi = psiFromCounts(baseCounts, curCounts, epsilon);
    metrics.ks = ks2SampSorted(base, cur);
    metrics.jensen_shannon = jensenShannonFromCounts(baseCounts, curCounts);
    const w = wassersteinSorted(base, cur);
    metrics.wasserstein = w;
    metrics.wasserstein_normed = wassersteinNormed(w, baselineStd(base));
  }
  return {
    feature: baseline.name,
    type: 'numeric',
    n_baseline: base.length,
    n_current: cur.length,
    null_rate_baseline: rate(missing(baseline), baseline.rowCount),
    null_rate_current: rate(missing(current), current.values.length + missing(current)),
    metrics,
  };
}

function sumCounts(m: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

function compareCategorical(baseline: CategoricalBaseline, current: CategoricalSample, epsilon: number): FeatureDrift {
  const nBase = sumCounts(baseline.categories);
  const nCur = sumCounts(current.categories);
  const metrics: DriftMetrics = {};
  if (nBase > 0 && nCur > 0) {
    const { base, cur } = alignCategoryCounts(baseline.categories, current.categories);
    metrics.psi = psiFromCounts(base, cur, epsilon);
    metrics.chi2 = chi2Contingency2xK(base, cur);
    metrics.jensen_shannon = jensenShannonFromCounts(base, cur);
  }
  return {
    feature: baseline.name,
    type: 'categorical',
    n_baseline: nBase,
    n_current: nCur,
    null_rate_baseline: rate(missing(baseline), baseline.rowCount),
    null_rate_current: rate(missing(current), nCur + missing(current)),
    metrics,
  };
}

/**
 * All metrics for one feature. Numeric: psi, ks, jensen_shannon, wasserstein, wasserstein_normed;
 * categorical: psi, chi2, jensen_shannon. With no usable values on either side the metrics are
 * empty (n_current / n_baseline tell the caller it is insufficient data).
 */
export function compareFeature(baseline: FeatureBaseline, current: FeatureSample, options: CompareOptions = {}): FeatureDrift {
  const epsilon = options.epsilon ?? DEFAULT_PSI_EPSILON;
  if (!(epsilon > 0 && epsilon < 1)) throw new InputError(`feature "${baseline.name}": PSI epsilon must be in (0, 1), got ${epsilon}`);
  if (baseline.kind === 'numeric') {
    if (current.kind !== 'numeric') {
      throw new InputError(`feature "${baseline.name}" is numeric in the baseline but the current sample is ${current.kind}`);
    }
    const psiBins = options.psiBins ?? baseline.psiBins;
    if (!Number.isInteger(psiBins) || psiBins < 1) {
      throw new InputError(`feature "${baseline.name}": psiBins must be an integer ≥ 1, got ${psiBins}`);
    }
    return compareNumeric(baseline, current, psiBins, epsilon);
  }
  if (current.kind !== 'categorical') {
    throw new InputError(`feature "${baseline.name}" is categorical in the baseline but the current sample is ${current.kind}`);
  }
  return compareCategorical(baseline, current, epsilon);
}
