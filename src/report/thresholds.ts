/** Threshold lines for the charts: from rule tests when known, else the built-in rule defaults. */
import type { Direction, MetricThresholds } from './types.js';

/** Same numbers as the built-in rule defaults (src/rules/defaults.ts): effect sizes only. */
export const DEFAULT_THRESHOLDS: Readonly<Record<string, MetricThresholds>> = {
  psi: { warn: 0.1, critical: 0.25, direction: 'higher-means-drift' },
  ks_statistic: { warn: 0.1, critical: 0.2, direction: 'higher-means-drift' },
  jensen_shannon: { warn: 0.1, critical: 0.2, direction: 'higher-means-drift' },
  wasserstein_normed: { warn: 0.1, critical: 0.25, direction: 'higher-means-drift' },
  null_rate_increase: { warn: 0.05, critical: 0.2, direction: 'higher-means-drift' },
};

/** p-values fall when things drift; every other metric rises. */
export function directionOf(metric: string): Direction {
  return /p_?value$/.test(metric) ? 'lower-means-drift' : 'higher-means-drift';
}

/** Rule `tests:` (test name → {warn, critical}) → chart thresholds. */
export function thresholdsFromTests(
  tests: Readonly<Partial<Record<string, { readonly warn?: number; readonly critical?: number }>>>,
): Record<string, MetricThresholds> {
  const out: Record<string, MetricThresholds> = {};
  for (const [metric, t] of Object.entries(tests)) {
    if (!t) continue;
    out[metric] = {
      direction: directionOf(metric),
      ...(t.warn !== undefined && { warn: t.warn }),
      ...(t.critical !== undefined && { critical: t.critical }),
    };
  }
  return out;
}
