import { describe, expect, it } from 'vitest';
import {
  categoricalBaselineFromValues,
  categoricalSampleFromValues,
  compareFeature,
  numericBaselineFromValues,
  numericSampleFromValues,
} from '../../src/drift/compare.js';
import type { CategoricalBaseline, CategoricalSample } from '../../src/drift/types.js';
import { InputError } from '../../src/errors.js';
import { categoricalCases, decodeColumn, expectClose, numericCases } from './helpers/fixtures.js';

describe('compareFeature on numeric features equals numpy/scipy', () => {
  it.each(numericCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const e = c.expected;
    const baseline = numericBaselineFromValues('f', decodeColumn(c.baseline), { psiBins: c.bins });
    const current = numericSampleFromValues(decodeColumn(c.current));
    expect([baseline.nullCount, baseline.nanCount, baseline.infCount]).toEqual(e.missing_baseline);
    expect([current.nullCount, current.nanCount, current.infCount]).toEqual(e.missing_current);
    // Edges must match numpy bit for bit: a tie on an edge decides the bin.
    expect(Array.from(baseline.psiEdges)).toEqual(e.edges);

    const drift = compareFeature(baseline, current, { epsilon: c.epsilon });
    expect(drift.feature).toBe('f');
    expect(drift.type).toBe('numeric');
    expect(drift.n_baseline).toBe(e.n_baseline);
    expect(drift.n_current).toBe(e.n_current);
    expectClose(drift.null_rate_baseline, e.null_rate_baseline, 'null_rate_baseline');
    expectClose(drift.null_rate_current, e.null_rate_current, 'null_rate_current');
    const m = drift.metrics;
    expectClose(m.psi, e.psi, 'psi');
    expectClose(m.jensen_shannon, e.jensen_shannon, 'jensen_shannon');
    expectClose(m.wasserstein, e.wasserstein, 'wasserstein');
    expectClose(m.wasserstein_normed, e.wasserstein_normed, 'wasserstein_normed');
    expectClose(m.ks?.statistic, e.ks.statistic, 'ks statistic');
    expectClose(m.ks?.pvalue, e.ks.pvalue, 'ks pvalue');
    expect(m.ks?.statisticLocation).toBe(e.ks.statistic_location);
    expect(m.ks?.statisticSign).toBe(e.ks.statistic_sign);
    expect(m.ks?.method).toBe(e.ks.method);
    expect(m.chi2).toBeUndefined();
  });

  it('recomputes edges from baseline.sorted when psiBins differs from the baseline', () => {
    const c = numericCases().find((x) => x.name === 'ties_int_bins20')!;
    const baseline = numericBaselineFromValues('f', decodeColumn(c.baseline)); // default 10 bins
    expect(baseline.psiBins).toBe(10);
    const drift = compareFeature(baseline, numericSampleFromValues(decodeColumn(c.current)), { psiBins: c.bins });
    expectClose(drift.metrics.psi, c.expected.psi, 'psi with 20 bins');
    expectClose(drift.metrics.jensen_shannon, c.expected.jensen_shannon, 'js with 20 bins');
  });

  it('returns no metrics (and does not throw) for an empty current window', () => {
    const baseline = numericBaselineFromValues('amount', [1, 2, 3, 4]);
    const drift = compareFeature(baseline, numericSampleFromValues([null, Number.NaN, null]));
    expect(drift.n_current).toBe(0);
    expect(drift.metrics).toEqual({});
    expect(drift.null_rate_current).toBe(1);
    const none = compareFeature(baseline, numericSampleFromValues([]));
    expect(none.n_current).toBe(0);
    expect(none.null_rate_current).toBe(0);
  });

  it('returns no metrics for a baseline without finite values', () => {
    const baseline = numericBaselineFromValues('x', [null, Number.POSITIVE_INFINITY]);
    const drift = compareFeature(baseline, numericSampleFromValues([1, 2]));
    expect(drift.n_baseline).toBe(0);
    expect(drift.n_current).toBe(2);
    expect(drift.metrics).toEqual({});
    expect(drift.null_rate_baseline).toBe(1);
  });

  it('refuses a kind mismatch and bad options, naming the feature', () => {
    const num = numericBaselineFromValues('age', [1, 2, 3]);
    const cat = categoricalBaselineFromValues('country', ['DE', 'FR']);
    expect(() => compareFeature(num, categoricalSampleFromValues(['a']))).toThrow(/feature "age" is numeric/);
    expect(() => compareFeature(cat, numericSampleFromValues([1]))).toThrow(InputError);
    expect(() => compareFeature(num, numericSampleFromValues([1]), { psiBins: 0 })).toThrow(/"age": psiBins/);
    expect(() => compareFeature(num, numericSampleFromValues([1]), { epsilon: 0 })).toThrow(/epsilon/);
  });
});

function catBaseline(counts: Record<string, number>, nulls: number): CategoricalBaseline {
  const categories = new Map(Object.entries(counts));
  let rows = nulls;
  for (const v of categories.values()) rows += v;
  return { kind: 'categorical', name: 'c', rowCount: rows, categories, nullCount: nulls, nanCount: 0, infCount: 0 };
}

function catSample(counts: Record<string, number>, nulls: number): CategoricalSample {
  return { kind: 'categorical', categories: new Map(Object.entries(counts)), nullCount: nulls, nanCount: 0, infCount: 0 };
}

describe('compareFeature on categorical features equals scipy', () => {
  it.each(categoricalCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const e = c.expected;
    const drift = compareFeature(catBaseline(c.baseline.counts, c.baseline.nulls), catSample(c.current.counts, c.current.nulls), {
      epsilon: c.epsilon,
    });
    expect(drift.type).toBe('categorical');
    expect(drift.n_baseline).toBe(e.n_baseline);
    expect(drift.n_current).toBe(e.n_current);
    expectClose(drift.null_rate_baseline, e.null_rate_baseline, 'null_rate_baseline');
    expectClose(drift.null_rate_current, e.null_rate_current, 'null_rate_current');
    expectClose(drift.metrics.psi, e.psi, 'psi');
    expectClose(drift.metrics.jensen_shannon, e.jensen_shannon, 'jensen_shannon');
    expectClose(drift.metrics.chi2?.statistic, e.chi2.statistic, 'chi2 statistic');
    expectClose(drift.metrics.chi2?.pvalue, e.chi2.pvalue, 'chi2 pvalue');
    expect(drift.metrics.chi2?.dof).toBe(e.chi2.dof);
    expect(drift.metrics.ks).toBeUndefined();
  });

  it('builds the same result from raw values (nulls counted, categories seen on either side)', () => {
    const base = ['a', 'b', null, 'a', 'c', 'a', null];
    const cur = ['a', 'd', 'd', null, 'b'];
    const drift = compareFeature(categoricalBaselineFromValues('c', base), categoricalSampleFromValues(cur));
    expect(drift.n_baseline).toBe(5);
    expect(drift.n_current).toBe(4);
    expect(drift.null_rate_baseline).toBeCloseTo(2 / 7, 15);
    expect(drift.null_rate_current).toBeCloseTo(1 / 5, 15);
    expect(drift.metrics.chi2?.dof).toBe(3); // a, b, c, d
    expect(drift.metrics.psi).toBeGreaterThan(0.5);
  });
});
