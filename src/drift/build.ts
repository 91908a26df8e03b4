/**
 * Builders for baselines and current samples from raw column values. Pure: values in,
 * plain data out. Missing values (null/undefined, NaN, ±Inf) are counted, not tested.
 */
import type { CategoricalBaseline, CategoricalSample, MissingCounts, NumericBaseline, NumericSample } from './types.js';
import { InputError } from '../errors.js';
import { DEFAULT_PSI_BINS, psiEdges } from './bins.js';
import { sampleIndices } from './prng.js';

/** Finite values kept per numeric baseline before sampling kicks in. */
export const DEFAULT_BASELINE_CAP = 1_000_000;
export const DEFAULT_SAMPLE_SEED = 42;

export interface NumericBaselineOptions {
  /** PSI bins the frozen edges are computed for (default 10). */
  readonly psiBins?: number;
  /** Keep at most this many finite values (seeded uniform sample above it; default 1,000,000). */
  readonly cap?: number;
  /** Seed of the sampling PRNG (default 42): same data + seed → same baseline. */
  readonly seed?: number;
}

interface SplitNumeric extends MissingCounts {
  readonly finite: Float64Array;
}

function splitNumeric(values: ArrayLike<number | null | undefined>): SplitNumeric {
  let nullCount = 0;
  let nanCount = 0;
  let infCount = 0;
  const finite = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === null || x === undefined) nullCount++;
    else if (Number.isNaN(x)) nanCount++;
    else if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) infCount++;
    else finite[k++] = x;
  }
  return { nullCount, nanCount, infCount, finite: k === finite.length ? finite : finite.slice(0, k) };
}

/** Baseline of a numeric feature: missing counts, sorted finite values (sampled above the cap), PSI edges. */
export function numericBaselineFromValues(
  name: string,
  values: ArrayLike<number | null | undefined>,
  opts: NumericBaselineOptions = {},
): NumericBaseline {
  const psiBins = opts.psiBins ?? DEFAULT_PSI_BINS;
  const cap = opts.cap ?? DEFAULT_BASELINE_CAP;
  const seed = opts.seed ?? DEFAULT_SAMPLE_SEED;
  if (!Number.isInteger(psiBins) || psiBins < 1) throw new InputError(`feature "${name}": psiBins must be an integer ≥ 1, got ${psiBins}`);
  if (!Number.isInteger(cap) || cap < 1) throw new InputError(`feature "${name}": baseline cap must be an integer ≥ 1, got ${cap}`);
  const split = splitNumeric(values);
  const finiteCount = split.finite.length;
  let kept = split.finite;
  const sampled = finiteCount > cap;
  if (sampled) {
    const idx = sampleIndices(finiteCount, cap, seed);
    kept = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) kept[i] = split.finite[idx[i]!]!;
  }
  const sorted = kept.sort();
  return {
    kind: 'numeric',
    name,
    rowCount: values.length,
    finiteCount,
    nullCount: split.nullCount,
    nanCount: split.nanCount,
    infCount: split.infCount,
    sorted,
    sampled,
    psiBins,
    psiEdges: psiEdges(sorted, psiBins),
  };
}

function countCategories(values: ArrayLike<string | null | undefined>): { categories: Map<string, number>; nullCount: number } {
  const categories = new Map<string, number>();
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) nullCount++;
    else categories.set(v, (categories.get(v) ?? 0) + 1);
  }
  return { categories, nullCount };
}

/** Baseline of a categorical feature: category counts (first-seen order) and null count. */
export function categoricalBaselineFromValues(name: string, values: ArrayLike<string | null | undefined>): CategoricalBaseline {
  const { categories, nullCount } = countCategories(values);
  return { kind: 'categorical', name, rowCount: values.length, categories, nullCount, nanCount: 0, infCount: 0 };
}

/** Current-window sample of a numeric feature (finite values unsorted; missing values counted). */
export function numericSampleFromValues(values: ArrayLike<number | null | undefined>): NumericSample {
  const split = splitNumeric(values);
  return { kind: 'numeric', values: split.finite, nullCount: split.nullCount, nanCount: split.nanCount, infCount: split.infCount };
}

/** Current-window sample of a categorical feature. */
export function categoricalSampleFromValues(values: ArrayLike<string | null | undefined>): CategoricalSample {
  const { categories, nullCount } = countCategories(values);
  return { kind: 'categorical', categories, nullCount, nanCount: 0, infCount: 0 };
}
