/**
 * The drift tests, one shape each: which feature kinds they apply to, which direction means
 * drift, default thresholds, and how to read their value from a comparison result. Names match
 * the test keys of rule files. Effect sizes gate by default; p-values get tiny on 10k+ windows
 * for differences nobody cares about, so they are opt-in second gates.
 */
import type { FeatureDrift, FeatureKind } from './types.js';

export const Directions = {
  higherMeansDrift: 'higher-means-drift',
  lowerMeansDrift: 'lower-means-drift',
} as const;
export type Direction = (typeof Directions)[keyof typeof Directions];

export const Levels = { ok: 'ok', warn: 'warn', critical: 'critical' } as const;
export type Level = (typeof Levels)[keyof typeof Levels];

export interface Thresholds {
  readonly warn: number;
  readonly critical: number;
}

export interface DriftTest {
  readonly name: string;
  readonly description: string;
  readonly kinds: readonly FeatureKind[];
  readonly direction: Direction;
  readonly defaults: Thresholds;
  /** Part of the default test set (effect sizes) or an opt-in second gate (p-values). */
  readonly gatesByDefault: boolean;
  /** The test's value in a comparison result; undefined when it was not computed. */
  readonly value: (drift: FeatureDrift) => number | undefined;
}

const numeric: readonly FeatureKind[] = ['numeric'];
const categorical: readonly FeatureKind[] = ['categorical'];
const both: readonly FeatureKind[] = ['numeric', 'categorical'];

export const driftTests = {
  psi: {
    name: 'psi',
    description: 'Population Stability Index over baseline-quantile bins (numeric) or categories',
    kinds: both,
    direction: 'higher-means-drift',
    defaults: { warn: 0.1, critical: 0.25 },
    gatesByDefault: true,
    value: (d) => d.metrics.psi,
  },
  ks_statistic: {
    name: 'ks_statistic',
    description: 'Kolmogorov–Smirnov statistic: largest gap between the two ECDFs',
    kinds: numeric,
    direction: 'higher-means-drift',
    defaults: { warn: 0.1, critical: 0.2 },
    gatesByDefault: true,
    value: (d) => d.metrics.ks?.statistic,
  },
  ks_pvalue: {
    name: 'ks_pvalue',
    description: 'Two-sample Kolmogorov–Smirnov p-value (scipy ks_2samp, method auto)',
    kinds: numeric,
    direction: 'lower-means-drift',
    defaults: { warn: 0.05, critical: 0.01 },
    gatesByDefault: false,
    value: (d) => d.metrics.ks?.pvalue,
  },
  chi2_pvalue: {
    name: 'chi2_pvalue',
    description: 'Chi-square test of homogeneity p-value on baseline vs current category counts',
    kinds: categorical,
    direction: 'lower-means-drift',
    defaults: { warn: 0.05, critical: 0.01 },
    gatesByDefault: false,
    value: (d) => d.metrics.chi2?.pvalue,
  },
  jensen_shannon: {
    name: 'jensen_shannon',
    description: 'Jensen–Shannon distance (natural log) over the PSI bins or categories',
    kinds: both,
    direction: 'higher-means-drift',
    defaults: { warn: 0.1, critical: 0.2 },
    gatesByDefault: true,
    value: (d) => d.metrics.jensen_shannon,
  },
  wasserstein_normed: {
    name: 'wasserstein_normed',
    description: 'Wasserstein-1 distance divided by max(baseline std, 0.001)',
    kinds: numeric,
    direction: 'higher-means-drift',
    defaults: { warn: 0.1, critical: 0.2 },
    gatesByDefault: true,
    value: (d) => d.metrics.wasserstein_normed,
  },
  null_rate_increase: {
    name: 'null_rate_increase',
    description: 'Missing-value share (null, NaN, ±Inf) in the window minus the baseline share',
    kinds: both,
    direction: 'higher-means-drift',
    defaults: { warn: 0.05, critical: 0.2 },
    gatesByDefault: true,
    value: (d) => (d.n_current + d.null_rate_current > 0 ? d.null_rate_current - d.null_rate_baseline : undefined),
  },
} as const satisfies Record<string, DriftTest>;

export type DriftTestName = keyof typeof driftTests;
export const driftTestNames = Object.keys(driftTests) as DriftTestName[];

export function isDriftTestName(name: string): name is DriftTestName {
  return Object.hasOwn(driftTests, name);
}

/** Level of one value against thresholds in the test's direction (≥ for higher, < for lower). */
export function levelFor(test: DriftTest, value: number, thresholds: Thresholds = test.defaults): Level {
  if (Number.isNaN(value)) return 'ok';
  if (test.direction === 'higher-means-drift') {
    if (value >= thresholds.critical) return 'critical';
    if (value >= thresholds.warn) return 'warn';
    return 'ok';
  }
  if (value < thresholds.critical) return 'critical';
  if (value < thresholds.warn) return 'warn';
  return 'ok';
}

/** True when `critical` is at least as severe as `warn` in the test's direction. */
export function thresholdsOrdered(test: DriftTest, t: Thresholds): boolean {
  return test.direction === 'higher-means-drift' ? t.critical >= t.warn : t.critical <= t.warn;
}
