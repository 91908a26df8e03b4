import { describe, expect, it } from 'vitest';
import { driftResultRows, metricValues, RESULT_METRICS } from '../../src/pipeline/results.js';
import { defaultRuleSet, loadRules } from '../../src/rules/load.js';
import { evaluateWindow } from '../../src/rules/evaluate.js';
import { drift, rulesDir } from '../rules/helpers.js';

const S = 1_000;
const E = 2_000;

describe('metricValues', () => {
  it('lists the metrics a drift result carries, in RESULT_METRICS order, without absent ones', () => {
    const d = drift('amount', { psi: 0.3, ksStatistic: 0.2, ksPvalue: 1e-9, js: 0.15, wassersteinNormed: 0.4, nullBase: 0.01, nullCur: 0.05 });
    const values = metricValues(d);
    expect(values.map(([m]) => m)).toEqual(['psi', 'ks_statistic', 'ks_pvalue', 'jensen_shannon', 'wasserstein_normed', 'null_rate_increase']);
    expect(Object.fromEntries(values)).toMatchObject({ psi: 0.3, ks_pvalue: 1e-9, wasserstein_normed: 0.4 });
    expect(Object.fromEntries(values).null_rate_increase).toBeCloseTo(0.04, 12);
    for (const [m] of values) expect(RESULT_METRICS).toContain(m);
  });

  it('gives a categorical feature its chi² p-value and no KS or Wasserstein', () => {
    const values = Object.fromEntries(metricValues(drift('country', { type: 'categorical', psi: 0.02, js: 0.03, chi2Pvalue: 0.4 })));
    expect(Object.keys(values).sort()).toEqual(['chi2_pvalue', 'jensen_shannon', 'null_rate_increase', 'psi']);
  });

  it('leaves out NaN metrics (a p-value that could not be computed)', () => {
    const values = Object.fromEntries(metricValues(drift('amount', { psi: Number.NaN, ksStatistic: 0.1, ksPvalue: 0.5 })));
    expect(values).not.toHaveProperty('psi');
    expect(values).toHaveProperty('ks_statistic', 0.1);
  });
});

describe('driftResultRows', () => {
  it('marks each metric with the level it reached and the threshold it crossed', () => {
    const rules = defaultRuleSet();
    const evals = evaluateWindow(rules, 'tx', [drift('amount', { psi: 0.3, ksStatistic: 0.05, ksPvalue: 0.2, js: 0.12, wassersteinNormed: 0.01 })]);
    const rows = driftResultRows('tx', S, E, evals);
    const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
    expect(evals[0]!.evaluation.status).toBe('critical');
    expect(by.psi).toMatchObject({ stream: 'tx', windowStart: S, windowEnd: E, feature: 'amount', value: 0.3, threshold: 0.25, status: 'critical' });
    expect(by.jensen_shannon).toMatchObject({ threshold: 0.1, status: 'warn' });
    // Not breached: the warn threshold is recorded, status ok.
    expect(by.ks_statistic).toMatchObject({ threshold: 0.1, status: 'ok' });
    // No rule test for the p-value by default: no threshold.
    expect(by.ks_pvalue).toMatchObject({ threshold: null, status: 'ok' });
  });

  it('caps a metric at the feature verdict when a p-value gate holds the feature back', () => {
    const dir = rulesDir({
      '_defaults.yaml': 'tests:\n  psi: { warn: 0.1, critical: 0.25 }\n  ks_pvalue: { warn: 0.01, critical: 0.001 }\nmin_samples: 10\n',
    });
    const evals = evaluateWindow(loadRules(dir), 'tx', [drift('amount', { psi: 0.4, ksStatistic: 0.3, ksPvalue: 0.2 })]);
    expect(evals[0]!.evaluation.status).toBe('ok');
    const psi = driftResultRows('tx', S, E, evals).find((r) => r.metric === 'psi')!;
    expect(psi).toMatchObject({ value: 0.4, threshold: 0.25, status: 'ok' });
  });

  it('writes insufficient_data on every metric of a window below min_samples', () => {
    const evals = evaluateWindow(defaultRuleSet(), 'tx', [drift('amount', { n: 20, psi: 2, ksStatistic: 0.5, ksPvalue: 1e-6 })]);
    const rows = driftResultRows('tx', S, E, evals);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['insufficient_data']));
  });

  it('gives every (feature, metric) of a window exactly one row', () => {
    const evals = evaluateWindow(defaultRuleSet(), 'tx', [
      drift('amount', { psi: 0.01, ksStatistic: 0.01, ksPvalue: 0.9, js: 0.01, wassersteinNormed: 0.01 }),
      drift('country', { type: 'categorical', psi: 0.01, js: 0.01, chi2Pvalue: 0.7 }),
    ]);
    const rows = driftResultRows('tx', S, E, evals);
    const keys = rows.map((r) => `${r.feature}/${r.metric}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows).toHaveLength(6 + 4);
    expect(rows.every((r) => r.status === 'ok')).toBe(true);
  });
});
