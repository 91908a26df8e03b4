/**
 * Registry of the threshold tests a rule can use, one shape each: the metric it reads from a
 * FeatureDrift, which way is bad, which feature kinds it applies to, and its group.
 *
 * Groups decide how breaches combine (see evaluate.ts): effect sizes set the severity,
 * p-values are an optional second gate on the effect sizes (on 10k+ windows a p-value alone
 * fires on differences nobody cares about), the null-rate increase is a data-quality signal
 * on its own.
 */
import type { FeatureDrift, FeatureKind } from '../drift/types.js';
import type { AlertLevel, RuleTestName, Thresholds } from './types.js';

export const TestGroups = { effect: 'effect', significance: 'significance', quality: 'quality' } as const;
export type TestGroup = (typeof TestGroups)[keyof typeof TestGroups];

export const Directions = { higher: 'higher-means-drift', lower: 'lower-means-drift' } as const;
export type Direction = (typeof Directions)[keyof typeof Directions];

export interface RuleTest {
  readonly label: string;
  readonly group: TestGroup;
  readonly direction: Direction;
  readonly kinds: readonly FeatureKind[];
  /** The metric, or undefined when the drift result does not carry it. */
  value(drift: FeatureDrift): number | undefined;
}

const both = ['numeric', 'categorical'] as const;
const numeric = ['numeric'] as const;
const categorical = ['categorical'] as const;

export const ruleTests = {
  psi: { label: 'PSI', group: 'effect', direction: 'higher-means-drift', kinds: both, value: (d) => d.metrics.psi },
  ks_statistic: {
    label: 'KS statistic',
    group: 'effect',
    direction: 'higher-means-drift',
    kinds: numeric,
    value: (d) => d.metrics.ks?.statistic,
  },
  jensen_shannon: {
    label: 'Jensen-Shannon distance',
    group: 'effect',
    direction: 'higher-means-drift',
    kinds: both,
    value: (d) => d.metrics.jensen_shannon,
  },
  wasserstein_normed: {
    label: 'Wasserstein (normed)',
    group: 'effect',
    direction: 'higher-means-drift',
    kinds: numeric,
    value: (d) => d.metrics.wasserstein_normed,
  },
  ks_pvalue: {
    label: 'KS p-value',
    group: 'significance',
    direction: 'lower-means-drift',
    kinds: numeric,
    value: (d) => d.metrics.ks?.pvalue,
  },
  chi2_pvalue: {
    label: 'chi² p-value',
    group: 'significance',
    direction: 'lower-means-drift',
    kinds: categorical,
    value: (d) => d.metrics.chi2?.pvalue,
  },
  null_rate_increase: {
    label: 'null-rate increase',
    group: 'quality',
    direction: 'higher-means-drift',
    kinds: both,
    value: (d) => d.null_rate_current - d.null_rate_baseline,
  },
} as const satisfies Record<RuleTestName, RuleTest>;

export const ruleTestNames = Object.keys(ruleTests) as RuleTestName[];

export function isRuleTestName(name: string): name is RuleTestName {
  return Object.hasOwn(ruleTests, name);
}

/** True when `value` is over `threshold` in the test's bad direction (NaN never is). */
export function crosses(direction: Direction, value: number, threshold: number): boolean {
  return direction === 'higher-means-drift' ? value >= threshold : value < threshold;
}

/** The most severe level `value` reaches, with its threshold. */
export function levelReached(
  direction: Direction,
  value: number,
  thresholds: Thresholds,
): { level: AlertLevel; threshold: number } | undefined {
  if (thresholds.critical !== undefined && crosses(direction, value, thresholds.critical)) {
    return { level: 'critical', threshold: thresholds.critical };
  }
  if (thresholds.warn !== undefined && crosses(direction, value, thresholds.warn)) {
    return { level: 'warn', threshold: thresholds.warn };
  }
  return undefined;
}

/** True when the warn threshold is strictly less severe than the critical one. */
export function warnBelowCritical(direction: Direction, warn: number, critical: number): boolean {
  return direction === 'higher-means-drift' ? warn < critical : warn > critical;
}
