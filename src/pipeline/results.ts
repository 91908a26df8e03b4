/**
 * Evaluated window → `drift_results` rows (pure). One row per metric a feature has: the
 * effect sizes and p-values the rules can gate on, plus the null-rate increase. The report
 * draws one chart per metric it finds, so raw values that no rule reads (unnormalised
 * Wasserstein, the chi² statistic) are left out; they stay in retrain events.
 *
 * A row's status is what its metric reached against the rule, capped by the feature's
 * overall verdict: with a p-value gate an effect size can breach while the feature stays
 * ok, and the report must then not paint that window amber.
 */
import type { DriftStatus, FeatureDrift } from '../drift/types.js';
import type { WindowEvaluation } from '../rules/evaluate.js';
import type { AlertLevel, RuleTestName } from '../rules/types.js';
import type { DriftResultRow } from '../store/evaluations.js';

/** Metrics written per feature, in this order; each is also a rule test name. */
export const RESULT_METRICS = [
  'psi',
  'ks_statistic',
  'ks_pvalue',
  'chi2_pvalue',
  'jensen_shannon',
  'wasserstein_normed',
  'null_rate_increase',
] as const satisfies readonly RuleTestName[];
export type ResultMetric = (typeof RESULT_METRICS)[number];

const RANK: Readonly<Record<DriftStatus, number>> = { insufficient_data: -1, ok: 0, warn: 1, critical: 2 };

/** The metric values a drift result carries (absent ones left out, NaN kept out too). */
export function metricValues(drift: FeatureDrift): Array<[ResultMetric, number]> {
  const m = drift.metrics;
  const candidates: Array<[ResultMetric, number | undefined]> = [
    ['psi', m.psi],
    ['ks_statistic', m.ks?.statistic],
    ['ks_pvalue', m.ks?.pvalue],
    ['chi2_pvalue', m.chi2?.pvalue],
    ['jensen_shannon', m.jensen_shannon],
    ['wasserstein_normed', m.wasserstein_normed],
    ['null_rate_increase', drift.null_rate_current - drift.null_rate_baseline],
  ];
  return candidates.filter((c): c is [ResultMetric, number] => c[1] !== undefined && !Number.isNaN(c[1]));
}

function capped(level: AlertLevel | undefined, overall: DriftStatus): DriftStatus {
  if (overall === 'insufficient_data') return overall;
  const own: DriftStatus = level ?? 'ok';
  return RANK[own] <= RANK[overall] ? own : overall;
}

/** `drift_results` rows of one evaluated window. */
export function driftResultRows(stream: string, windowStart: number, windowEnd: number, evaluations: readonly WindowEvaluation[]): DriftResultRow[] {
  const rows: DriftResultRow[] = [];
  for (const e of evaluations) {
    const breaches = new Map(e.evaluation.breaches.map((b) => [b.test as string, b]));
    for (const [metric, value] of metricValues(e.drift)) {
      const breach = breaches.get(metric);
      const threshold = breach?.threshold ?? e.rule.tests[metric]?.warn ?? null;
      rows.push({
        stream,
        windowStart,
        windowEnd,
        feature: e.feature,
        metric,
        value,
        threshold,
        status: capped(breach?.level, e.evaluation.status),
      });
    }
  }
  return rows;
}
