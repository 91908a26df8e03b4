import { describe, expect, it } from 'vitest';
import { chi2Contingency2xK } from '../../src/drift/chi2.js';
import { alignCategoryCounts } from '../../src/drift/psi.js';
import { InputError } from '../../src/errors.js';
import { categoricalCases, expectClose } from './helpers/fixtures.js';

describe('chi2Contingency2xK equals scipy.stats.chi2_contingency(correction=False)', () => {
  it.each(categoricalCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { base, cur } = alignCategoryCounts(new Map(Object.entries(c.baseline.counts)), new Map(Object.entries(c.current.counts)));
    const r = chi2Contingency2xK(base, cur);
    expectClose(r.statistic, c.expected.chi2.statistic, 'statistic');
    expectClose(r.pvalue, c.expected.chi2.pvalue, 'pvalue');
    if (c.expected.chi2.pvalue > 0) {
      expect(Math.abs(r.pvalue / c.expected.chi2.pvalue - 1), 'relative p').toBeLessThan(1e-6);
    }
    expect(r.dof).toBe(c.expected.chi2.dof);
  });

  it('has the tiny-p fixture really in the 1e-200 range', () => {
    const c = categoricalCases().find((x) => x.name === 'tiny_p_1e200')!;
    expect(c.expected.chi2.pvalue).toBeLessThan(1e-180);
    expect(c.expected.chi2.pvalue).toBeGreaterThan(0);
  });

  it('one category is the degenerate case; empty sides and empty categories are refused', () => {
    expect(chi2Contingency2xK([5], [7])).toEqual({ statistic: 0, pvalue: 1, dof: 0 });
    expect(() => chi2Contingency2xK([1, 0], [2, 0])).toThrow(/category #1/);
    expect(() => chi2Contingency2xK([0, 0], [2, 3])).toThrow(InputError);
    expect(() => chi2Contingency2xK([1, 2], [1])).toThrow(/same categories/);
  });
});
