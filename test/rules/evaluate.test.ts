import { describe, expect, it } from 'vitest';
import { evaluateRule, evaluateWindow, ruleStatusFunction } from '../../src/rules/evaluate.js';
import { defaultRuleSet, loadRules } from '../../src/rules/load.js';
import type { Rule } from '../../src/rules/types.js';
import { drift, rulesDir } from './helpers.js';

function rule(yaml: string, defaults = ''): Rule {
  const dir = rulesDir({ 'f.yaml': `feature: f\n${yaml}`, ...(defaults ? { '_defaults.yaml': defaults } : {}) });
  return loadRules(dir).ruleFor('s', 'f');
}

describe('evaluateRule', () => {
  const effectOnly = rule('min_samples: 100\n');

  it('ok, warn and critical from effect sizes (≥ thresholds)', () => {
    expect(evaluateRule(effectOnly, drift('f', { psi: 0.05, ksStatistic: 0.02 })).status).toBe('ok');
    const warn = evaluateRule(effectOnly, drift('f', { psi: 0.1, ksStatistic: 0.02 }));
    expect(warn).toEqual({ status: 'warn', breaches: [{ test: 'psi', value: 0.1, threshold: 0.1, level: 'warn' }] });
    const crit = evaluateRule(effectOnly, drift('f', { psi: 0.12, ksStatistic: 0.25, wassersteinNormed: 0.11 }));
    expect(crit.status).toBe('critical');
    expect(crit.breaches).toEqual([
      { test: 'psi', value: 0.12, threshold: 0.1, level: 'warn' },
      { test: 'ks_statistic', value: 0.25, threshold: 0.2, level: 'critical' },
      { test: 'wasserstein_normed', value: 0.11, threshold: 0.1, level: 'warn' },
    ]);
  });

  it('a tiny p-value alone does not fire under the default (effect-size) tests', () => {
    expect(evaluateRule(effectOnly, drift('f', { psi: 0.01, ksStatistic: 0.01, ksPvalue: 1e-30 })).status).toBe('ok');
  });

  it('p-values gate the effect sizes when configured', () => {
    const gated = rule('tests:\n  ks_pvalue: { warn: 0.05, critical: 0.001 }\n');
    // Large effect, p not significant → ok (the breach is still reported).
    const notSig = evaluateRule(gated, drift('f', { psi: 0.4, ksPvalue: 0.2 }));
    expect(notSig.status).toBe('ok');
    expect(notSig.breaches.map((b) => b.test)).toEqual(['psi']);
    // Critical effect, p only at warn level → warn.
    expect(evaluateRule(gated, drift('f', { psi: 0.4, ksPvalue: 0.01 })).status).toBe('warn');
    expect(evaluateRule(gated, drift('f', { psi: 0.4, ksPvalue: 1e-5 })).status).toBe('critical');
    // Significant but no effect → ok.
    expect(evaluateRule(gated, drift('f', { psi: 0.01, ksPvalue: 1e-9 })).status).toBe('ok');
  });

  it('p-value tests alone set the status', () => {
    const pOnly = rule('tests:\n  ks_pvalue: { warn: 0.05, critical: 0.01 }\n', 'tests:\n  psi: false\n  ks_statistic: false\n  jensen_shannon: false\n  wasserstein_normed: false\n');
    expect(evaluateRule(pOnly, drift('f', { psi: 0.9, ksPvalue: 0.03 })).status).toBe('warn');
    expect(evaluateRule(pOnly, drift('f', { ksPvalue: 0.05 })).status).toBe('ok'); // p < threshold, not ≤
  });

  it('the null-rate increase fires on its own', () => {
    const r = evaluateRule(effectOnly, drift('f', { psi: 0.01, nullBase: 0.01, nullCur: 0.3 }));
    expect(r.status).toBe('critical');
    expect(r.breaches[0]).toMatchObject({ test: 'null_rate_increase', level: 'critical' });
    expect(r.breaches[0]!.value).toBeCloseTo(0.29, 12);
  });

  it('insufficient data below min_samples, and for an empty window', () => {
    expect(evaluateRule(effectOnly, drift('f', { psi: 0.9, n: 99 })).status).toBe('insufficient_data');
    expect(evaluateRule(effectOnly, drift('f', { psi: 0.9, n: 5000 }), 10)).toEqual({ status: 'insufficient_data', breaches: [] });
    expect(evaluateRule(effectOnly, drift('f', { psi: 0.9, n: 100 })).status).toBe('critical');
  });

  it('applies only the tests that fit the feature kind', () => {
    const r = rule('tests:\n  chi2_pvalue: { warn: 0.05 }\n  ks_pvalue: { warn: 0.05 }\n');
    // Categorical: chi2 gates psi; KS tests ignored.
    expect(evaluateRule(r, drift('f', { type: 'categorical', psi: 0.3, chi2Pvalue: 0.5 })).status).toBe('ok');
    expect(evaluateRule(r, drift('f', { type: 'categorical', psi: 0.3, chi2Pvalue: 0.01 })).status).toBe('warn');
  });

  it('NaN metrics never breach', () => {
    expect(evaluateRule(effectOnly, drift('f', { psi: Number.NaN })).status).toBe('ok');
  });
});

describe('evaluateWindow: multiple-comparison control', () => {
  // 10 features, one with a really small p, others just under 0.05: raw p-values would warn on all.
  const ps = [0.0001, 0.04, 0.045, 0.03, 0.049, 0.02, 0.035, 0.041, 0.038, 0.044];
  const drifts = ps.map((p, i) => drift(`f${i}`, { psi: 0.5, ksPvalue: p }));
  const defaults = (method: string): string =>
    `p_adjust: ${method}\ntests:\n  ks_pvalue: { warn: 0.05, critical: 0.002 }\n  psi: { warn: 0.1, critical: 0.25 }\n`;

  it('none: every feature is significant at 0.05', () => {
    const out = evaluateWindow(loadRules(rulesDir({ '_defaults.yaml': defaults('none') })), 's', drifts);
    expect(out.filter((e) => e.evaluation.status !== 'ok')).toHaveLength(10);
  });

  it('bonferroni keeps only the strong one', () => {
    const out = evaluateWindow(loadRules(rulesDir({ '_defaults.yaml': defaults('bonferroni') })), 's', drifts);
    expect(out.map((e) => e.evaluation.status)).toEqual(['critical', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const b = out[0]!.evaluation.breaches.find((x) => x.test === 'ks_pvalue')!;
    expect(b.value).toBeCloseTo(0.001, 12);
    expect(b.raw).toBe(0.0001);
  });

  it('benjamini-hochberg keeps all of them when they are all smallish (step-up)', () => {
    const out = evaluateWindow(loadRules(rulesDir({ '_defaults.yaml': defaults('benjamini-hochberg') })), 's', drifts);
    // max p = 0.049 at rank 10 → adjusted 0.049 < 0.05, and step-up carries it down.
    expect(out.filter((e) => e.evaluation.status !== 'ok')).toHaveLength(10);
    const weak = evaluateWindow(
      loadRules(rulesDir({ '_defaults.yaml': defaults('benjamini-hochberg') })),
      's',
      [drift('a', { psi: 0.5, ksPvalue: 0.001 }), drift('b', { psi: 0.5, ksPvalue: 0.04 }), drift('c', { psi: 0.5, ksPvalue: 0.9 })],
    );
    // b: 0.04 · 3/2 = 0.06 → not significant; a: min(0.003, 0.06) = 0.003 → warn.
    expect(weak.map((e) => e.evaluation.status)).toEqual(['warn', 'ok', 'ok']);
  });

  it('features under min_samples stay out of the family', () => {
    const set = loadRules(rulesDir({ '_defaults.yaml': `${defaults('bonferroni')}min_samples: 1000\n` }));
    const out = evaluateWindow(set, 's', [drift('a', { psi: 0.5, ksPvalue: 0.03 }), drift('b', { psi: 0.5, ksPvalue: 0.5, n: 10 })]);
    expect(out.map((e) => e.evaluation.status)).toEqual(['warn', 'insufficient_data']);
  });
});

describe('ruleStatusFunction', () => {
  it('decides like statusFromMetrics on PSI with the built-in defaults', () => {
    const status = ruleStatusFunction(defaultRuleSet());
    expect(status(drift('x', { psi: 0.05 }))).toBe('ok');
    expect(status(drift('x', { psi: 0.15 }))).toBe('warn');
    expect(status(drift('x', { psi: 0.3 }))).toBe('critical');
  });
});
