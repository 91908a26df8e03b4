/**
 * Shared shapes of the drift engine. Everything here is plain data so that the maths
 * stays pure and the same results can come from a batch file, a stream window, or DuckDB.
 */

export const FeatureKinds = { numeric: 'numeric', categorical: 'categorical' } as const;
export type FeatureKind = (typeof FeatureKinds)[keyof typeof FeatureKinds];

/** Counts of values that are excluded from distribution tests. */
export interface MissingCounts {
  /** SQL NULL / JSON null / absent field. */
  readonly nullCount: number;
  /** NaN (numeric features only; 0 for categorical). */
  readonly nanCount: number;
  /** +Inf or -Inf (numeric features only; 0 for categorical). */
  readonly infCount: number;
}

/** Baseline of one numeric feature, as built from the training data. */
export interface NumericBaseline extends MissingCounts {
  readonly kind: 'numeric';
  readonly name: string;
  /** Rows in the training data (finite values + missing). */
  readonly rowCount: number;
  /** Finite values in the training data (before any sampling). */
  readonly finiteCount: number;
  /** Finite values, ascending. All of them, or a seeded uniform sample above the cap. */
  readonly sorted: Float64Array;
  /** True when `sorted` is a sample of the finite values. */
  readonly sampled: boolean;
  /** Default PSI bin count the edges below were computed for. */
  readonly psiBins: number;
  /** Interior PSI bin edges (quantiles at k/B, duplicates removed); bins are open-ended. */
  readonly psiEdges: Float64Array;
}

/** Baseline of one categorical feature. */
export interface CategoricalBaseline extends MissingCounts {
  readonly kind: 'categorical';
  readonly name: string;
  readonly rowCount: number;
  /** Non-missing category → count, in first-seen or sorted order (order is not significant). */
  readonly categories: ReadonlyMap<string, number>;
}

export type FeatureBaseline = NumericBaseline | CategoricalBaseline;

/** A whole baseline profile: one entry per feature. */
export interface BaselineProfile {
  /** Stable id (content hash) so results and retrain events can name the baseline. */
  readonly id: string;
  /** Where the training data came from (path as given by the user). */
  readonly source: string;
  readonly createdAt: string;
  readonly features: ReadonlyMap<string, FeatureBaseline>;
}

/** The current side of a comparison for a numeric feature. */
export interface NumericSample extends MissingCounts {
  readonly kind: 'numeric';
  /** Finite values, any order (the engine sorts a copy if needed). */
  readonly values: Float64Array;
}

/** The current side of a comparison for a categorical feature. */
export interface CategoricalSample extends MissingCounts {
  readonly kind: 'categorical';
  readonly categories: ReadonlyMap<string, number>;
}

export type FeatureSample = NumericSample | CategoricalSample;

export interface KsResult {
  readonly statistic: number;
  readonly pvalue: number;
  /** Value at which the largest ECDF gap occurs (scipy's statistic_location). */
  readonly statisticLocation: number;
  /** +1 when baseline ECDF is above current at the location, -1 otherwise (scipy's statistic_sign). */
  readonly statisticSign: 1 | -1;
  readonly method: 'exact' | 'asymp';
}

export interface Chi2Result {
  readonly statistic: number;
  readonly pvalue: number;
  readonly dof: number;
}

/** Metrics computed for one feature; absent entries did not apply to the feature kind. */
export interface DriftMetrics {
  psi?: number;
  ks?: KsResult;
  chi2?: Chi2Result;
  jensen_shannon?: number;
  wasserstein?: number;
  wasserstein_normed?: number;
}

export const DriftStatuses = {
  ok: 'ok',
  warn: 'warn',
  critical: 'critical',
  insufficientData: 'insufficient_data',
} as const;
export type DriftStatus = (typeof DriftStatuses)[keyof typeof DriftStatuses];

/** Result of comparing one feature's current sample with its baseline. */
export interface FeatureDrift {
  readonly feature: string;
  readonly type: FeatureKind;
  readonly n_baseline: number;
  readonly n_current: number;
  readonly null_rate_baseline: number;
  readonly null_rate_current: number;
  readonly metrics: DriftMetrics;
}
