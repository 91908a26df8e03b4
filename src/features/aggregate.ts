/**
 * Mergeable per-window feature aggregates. Numeric: counts of missing values, sum, Welford
 * mean/M2 (merged with Chan et al.'s pairwise formula), min, max and counts per frozen
 * baseline PSI bin. Categorical: counts per category. Merging two accumulators gives the
 * accumulator of the union, which is what lets windows be assembled from panes and
 * partitions. Quantiles are not kept here: the store computes them exactly at close from
 * the stored events (memory stays independent of the event count).
 */
import type { FeatureSpec, FeatureValue, FeatureWindowStats, Quantiles } from './types.js';
import { binIndex } from '../drift/bins.js';

export interface NumericAccumulator {
  readonly kind: 'numeric';
  count: number;
  nullCount: number;
  nanCount: number;
  infCount: number;
  /** Finite values. */
  n: number;
  sum: number;
  mean: number;
  /** Sum of squared deviations from the mean (Welford's M2). */
  m2: number;
  min: number;
  max: number;
  /** Counts per PSI bin, or null when the feature has no baseline edges. */
  bins: Float64Array | null;
}

export interface CategoricalAccumulator {
  readonly kind: 'categorical';
  count: number;
  nullCount: number;
  categories: Map<string, number>;
}

export type Accumulator = NumericAccumulator | CategoricalAccumulator;

export function newAccumulator(spec: FeatureSpec): Accumulator {
  if (spec.kind === 'categorical') return { kind: 'categorical', count: 0, nullCount: 0, categories: new Map() };
  return {
    kind: 'numeric',
    count: 0,
    nullCount: 0,
    nanCount: 0,
    infCount: 0,
    n: 0,
    sum: 0,
    mean: 0,
    m2: 0,
    min: Infinity,
    max: -Infinity,
    bins: spec.psiEdges === undefined ? null : new Float64Array(spec.psiEdges.length + 1),
  };
}

/** PSI bin of x (numpy searchsorted side='right'): the drift engine's rule, so counts agree. */
export const psiBinIndex = binIndex;

export function addNumeric(acc: NumericAccumulator, x: number | null, edges: ArrayLike<number> | undefined): void {
  acc.count++;
  if (x === null) {
    acc.nullCount++;
    return;
  }
  if (Number.isNaN(x)) {
    acc.nanCount++;
    return;
  }
  if (x === Infinity || x === -Infinity) {
    acc.infCount++;
    return;
  }
  acc.n++;
  acc.sum += x;
  const d = x - acc.mean;
  acc.mean += d / acc.n;
  acc.m2 += d * (x - acc.mean);
  if (x < acc.min) acc.min = x;
  if (x > acc.max) acc.max = x;
  if (acc.bins !== null && edges !== undefined) (acc.bins[psiBinIndex(edges, x)] as number)++;
}

export function addCategorical(acc: CategoricalAccumulator, v: string | null): void {
  acc.count++;
  if (v === null) acc.nullCount++;
  else acc.categories.set(v, (acc.categories.get(v) ?? 0) + 1);
}

/** Adds one extracted value; the caller guarantees numbers for numeric specs and strings for categorical. */
export function addValue(acc: Accumulator, value: FeatureValue, spec: FeatureSpec): void {
  if (acc.kind === 'numeric') addNumeric(acc, value as number | null, spec.psiEdges);
  else addCategorical(acc, value as string | null);
}

/** Merges `from` into `into` (in place). Chan et al. (1979) for mean and M2. */
export function mergeInto(into: Accumulator, from: Accumulator): void {
  into.count += from.count;
  into.nullCount += from.nullCount;
  if (into.kind === 'categorical' || from.kind === 'categorical') {
    if (into.kind !== 'categorical' || from.kind !== 'categorical') throw new TypeError('cannot merge numeric and categorical accumulators');
    for (const [k, c] of from.categories) into.categories.set(k, (into.categories.get(k) ?? 0) + c);
    return;
  }
  into.nanCount += from.nanCount;
  into.infCount += from.infCount;
  if (from.n > 0) {
    if (into.n === 0) {
      into.mean = from.mean;
      into.m2 = from.m2;
    } else {
      const n = into.n + from.n;
      const delta = from.mean - into.mean;
      into.mean += (delta * from.n) / n;
      into.m2 += from.m2 + (delta * delta * into.n * from.n) / n;
    }
    into.n += from.n;
    into.sum += from.sum;
    if (from.min < into.min) into.min = from.min;
    if (from.max > into.max) into.max = from.max;
  }
  if (into.bins !== null && from.bins !== null) {
    if (into.bins.length !== from.bins.length) throw new RangeError(`PSI bin counts differ in length (${into.bins.length} vs ${from.bins.length})`);
    for (let i = 0; i < into.bins.length; i++) (into.bins[i] as number) += from.bins[i] as number;
  }
}

export function mergeAccumulators(spec: FeatureSpec, parts: readonly Accumulator[]): Accumulator {
  const acc = newAccumulator(spec);
  for (const p of parts) mergeInto(acc, p);
  return acc;
}

/** Freezes an accumulator into the stats written to `feature_windows` (quantiles supplied by the store). */
export function finalizeStats(feature: string, acc: Accumulator, quantiles: Quantiles | null = null): FeatureWindowStats {
  if (acc.kind === 'categorical') {
    const sorted = [...acc.categories].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      kind: 'categorical',
      feature,
      count: acc.count,
      nullCount: acc.nullCount,
      nanCount: 0,
      infCount: 0,
      categories: new Map(sorted),
    };
  }
  const some = acc.n > 0;
  return {
    kind: 'numeric',
    feature,
    count: acc.count,
    nullCount: acc.nullCount,
    nanCount: acc.nanCount,
    infCount: acc.infCount,
    sum: acc.sum,
    mean: some ? acc.mean : null,
    variance: acc.n > 1 ? acc.m2 / (acc.n - 1) : null,
    min: some ? acc.min : null,
    max: some ? acc.max : null,
    quantiles: some ? quantiles : null,
    psiBinCounts: acc.bins === null ? null : Array.from(acc.bins),
  };
}
