/**
 * Shapes of the window engine. Specs are plain data (structurally compatible with the config
 * module's WindowConfig / KeyedAggregateConfig) so the engine never depends on config parsing.
 */
import type { FeatureKind, MissingCounts } from '../drift/types.js';

/** Event-time windows of one stream. All values in milliseconds. */
export interface WindowSpec {
  readonly sizeMs: number;
  /** Equal to sizeMs for tumbling windows; smaller for hopping windows. */
  readonly slideMs: number;
  /** Subtracted from the partition-min event time to get the watermark. */
  readonly allowedLatenessMs: number;
  /** Wall-clock silence after which a partition stops holding the watermark back (Infinity = never). */
  readonly idleTimeoutMs: number;
}

/** A monitored feature, from the config and the baseline profile. */
export interface FeatureSpec {
  readonly name: string;
  readonly kind: FeatureKind;
  /** Interior PSI bin edges of the baseline (ascending); counts go to bin = #edges ≤ x. */
  readonly psiEdges?: Float64Array | readonly number[];
}

export const KeyedAggs = { count: 'count', sum: 'sum', mean: 'mean', min: 'min', max: 'max' } as const;
export type KeyedAgg = (typeof KeyedAggs)[keyof typeof KeyedAggs];

/** `agg(feature)` per distinct value of the `key` field, per window (e.g. mean amount per customer). */
export interface KeyedAggregateSpec {
  readonly name: string;
  readonly key: string;
  readonly feature: string;
  readonly agg: KeyedAgg;
}

export interface StreamSpec {
  readonly name: string;
  readonly windows: WindowSpec;
  readonly features: readonly FeatureSpec[];
  readonly keyedAggregates?: readonly KeyedAggregateSpec[];
}

/** A feature value after extraction: numbers for numeric features, strings for categorical. */
export type FeatureValue = number | string | null;

/**
 * What the engine needs of an event. `values` align with `StreamSpec.features`; `keys` and
 * `keyedValues` (the aggregated feature as a number, or null) align with its keyed aggregates.
 */
export interface EngineEvent {
  /** Opaque partition id (`topic:partition`); the watermark is the min over active partitions. */
  readonly partition: string;
  readonly eventTime: number;
  readonly values: readonly FeatureValue[];
  readonly keys: readonly (string | null)[];
  readonly keyedValues: readonly (number | null)[];
}

export const QuantileLevels = { p01: 0.01, p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export type QuantileName = keyof typeof QuantileLevels;
export type Quantiles = Readonly<Record<QuantileName, number>>;

/** Final statistics of a numeric feature in a window. Missing = null + NaN + ±Inf. */
export interface NumericWindowStats extends MissingCounts {
  readonly kind: 'numeric';
  readonly feature: string;
  /** Events in the window (finite values + missing). */
  readonly count: number;
  /** Sum, mean, variance, min, max and quantiles are over finite values only; null when there are none. */
  readonly sum: number;
  readonly mean: number | null;
  /** Sample variance (n − 1 denominator, DuckDB `var_samp`); null below 2 finite values. */
  readonly variance: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Exact linear-interpolated quantiles (DuckDB `quantile_cont`, numpy `linear`), computed at close. */
  readonly quantiles: Quantiles | null;
  /** Counts per baseline PSI bin (edges.length + 1 bins); null when the feature has no edges. */
  readonly psiBinCounts: readonly number[] | null;
}

export interface CategoricalWindowStats extends MissingCounts {
  readonly kind: 'categorical';
  readonly feature: string;
  readonly count: number;
  /** Category → count, keys sorted. */
  readonly categories: ReadonlyMap<string, number>;
}

export type FeatureWindowStats = NumericWindowStats | CategoricalWindowStats;

/** Per-key result of one keyed aggregate in one window. */
export interface KeyedValue {
  /** Events with this key. */
  readonly events: number;
  /** Finite values of the feature among them. */
  readonly n: number;
  /** agg(feature) for the key; null when undefined (no finite values for sum/mean/min/max). */
  readonly value: number | null;
}

export interface KeyedWindowStats {
  readonly name: string;
  readonly key: string;
  readonly feature: string;
  readonly agg: KeyedAgg;
  /** Key → value, keys sorted. */
  readonly values: ReadonlyMap<string, KeyedValue>;
}

/** A closed window: what the store writes to `feature_windows` and hands to WindowCloseListeners. */
export interface ClosedWindow {
  readonly stream: string;
  readonly start: number;
  readonly end: number;
  readonly eventCount: number;
  readonly features: readonly FeatureWindowStats[];
  readonly keyed: readonly KeyedWindowStats[];
}

/** One event that arrived after one of its windows had closed. */
export interface LateAssignment {
  /** Index of the event in the processed batch. */
  readonly index: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Stream watermark when the event arrived. */
  readonly watermark: number;
}
