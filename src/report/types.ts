/**
 * Plain data an HTML drift report is drawn from. Times are epoch milliseconds (UTC); every
 * field is JSON-serialisable so a report can also be rebuilt from a saved ReportData.
 */
import type { DriftStatus, FeatureKind } from '../drift/types.js';

/**
 * One side of a distribution. Numeric: the baseline's PSI bins — `edges` are the interior
 * edges (ascending), the bins are open-ended, so `proportions.length === edges.length + 1`.
 * Categorical: one entry per category.
 */
export type ReportHistogram =
  | {
      readonly kind: 'numeric';
      readonly edges: readonly number[];
      readonly proportions: readonly number[];
      /** Values the proportions were computed from (non-missing). */
      readonly count: number;
    }
  | {
      readonly kind: 'categorical';
      readonly categories: ReadonlyArray<{ readonly name: string; readonly proportion: number }>;
      readonly count: number;
    };

export const Directions = { higher: 'higher-means-drift', lower: 'lower-means-drift' } as const;
export type Direction = (typeof Directions)[keyof typeof Directions];

export interface MetricThresholds {
  readonly warn?: number;
  readonly critical?: number;
  readonly direction: Direction;
}

export interface SeriesPoint {
  readonly windowStart: number;
  /** Metric name as in drift_results / rule tests: psi, ks_statistic, ks_pvalue, jensen_shannon, … */
  readonly metric: string;
  readonly value: number;
  readonly status: DriftStatus;
}

export interface NullRatePoint {
  readonly windowStart: number;
  /** Missing share (null + NaN + Inf) of the window's rows, 0..1. */
  readonly value: number;
}

export interface ReportFeature {
  readonly name: string;
  readonly kind: FeatureKind;
  /** Absent when the report was built without the baseline profile. */
  readonly baseline?: ReportHistogram;
  /** The most recent window in the range (see currentLabel). */
  readonly current?: ReportHistogram;
  /** What `current` is, e.g. "window 2026-11-23 14:00 – 15:00 UTC". */
  readonly currentLabel?: string;
  readonly series: readonly SeriesPoint[];
  /** Per metric name; metrics without an entry are drawn without threshold lines. */
  readonly thresholds: Readonly<Record<string, MetricThresholds>>;
  readonly nullRate: readonly NullRatePoint[];
  readonly baselineNullRate?: number;
}

export const AlertStates = { pending: 'pending', firing: 'firing', resolved: 'resolved', ok: 'ok' } as const;
export type AlertState = (typeof AlertStates)[keyof typeof AlertStates];

export interface ReportAlert {
  readonly time: number;
  readonly feature: string;
  readonly state: AlertState;
  readonly severity?: 'warn' | 'critical';
}

export interface ReportData {
  readonly title?: string;
  readonly stream: string;
  readonly generatedAt: number;
  /** Range the report covers (defaults to the data's own span). */
  readonly from?: number;
  readonly to?: number;
  /** Window size in ms, to draw window spans (default: inferred from the series). */
  readonly windowMs?: number;
  readonly baselineId?: string;
  /** Where the data came from (DuckDB path), shown in the header. */
  readonly source?: string;
  readonly features: readonly ReportFeature[];
  readonly alerts: readonly ReportAlert[];
}
