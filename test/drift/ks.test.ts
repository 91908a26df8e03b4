import { describe, expect, it } from 'vitest';
import { ks2Samp, ks2SampPValue, ks2SampSorted, ksStatisticSorted } from '../../src/drift/ks.js';
import { InputError } from '../../src/errors.js';
import { expectClose, finiteSorted, numericCases } from './helpers/fixtures.js';

describe('ks2SampSorted equals scipy.stats.ks_2samp', () => {
  it.each(numericCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = ks2SampSorted(finiteSorted(c.baseline), finiteSorted(c.current));
    const e = c.expected.ks;
    expectClose(r.statistic, e.statistic, 'statistic');
    expectClose(r.pvalue, e.pvalue, 'pvalue');
    expect(r.statisticLocation).toBe(e.statistic_location);
    expect(r.statisticSign).toBe(e.statistic_sign);
    expect(r.method).toBe(e.method);
  });
});

describe('ks statistic details', () => {
  it('breaks ties like scipy: first arg-max in concat(sorted1, sorted2)', () => {
    // ECDF difference is +0.5 at 1 (sample 1) and again at 3; scipy reports the first, 1.
    const s = ksStatisticSorted(Float64Array.of(1, 3), Float64Array.of(2, 4));
    expect(s).toEqual({ statistic: 0.5, statisticLocation: 1, statisticSign: 1 });
    // Sample 2 below sample 1: the gap is negative, so the sign is -1.
    const t = ksStatisticSorted(Float64Array.of(5, 6, 7), Float64Array.of(1, 2));
    expect(t.statistic).toBe(1);
    expect(t.statisticSign).toBe(-1);
    expect(t.statisticLocation).toBe(2);
  });

  it('does not depend on input order for the unsorted entry point', () => {
    const a = [3, 1, 2, 9, -4, 0.5];
    const b = [2.5, 8, -1, 7];
    expect(ks2Samp(a, b)).toEqual(ks2SampSorted(Float64Array.from(a).sort(), Float64Array.from(b).sort()));
  });

  it('drops NaN and ±Inf before testing (they are missing values)', () => {
    const clean = ks2Samp([1, 2, 3], [2.5, 4]);
    expect(ks2Samp([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3], [Number.NEGATIVE_INFINITY, 2.5, 4])).toEqual(clean);
  });

  it('refuses empty samples', () => {
    expect(() => ksStatisticSorted(new Float64Array(0), Float64Array.of(1))).toThrow(InputError);
  });

  it('snaps the statistic to the h/lcm lattice on the exact path and keeps it on fallback', () => {
    const exact = ks2SampPValue(0.30000000000000004, 10, 20);
    expect(exact.method).toBe('exact');
    expect(exact.statistic).toBe(6 / 20);
    const fallback = ks2SampPValue(1 / 5, 5, 5); // scipy's square sum gives 1.0000000000000002 here
    expect(fallback.method).toBe('asymp');
    expect(fallback.pvalue).toBe(1);
  });

  it('uses the asymptotic distribution above 10000 values', () => {
    expect(ks2SampPValue(0.05, 10001, 50).method).toBe('asymp');
    expect(ks2SampPValue(0.05, 10000, 50).method).toBe('exact');
    expect(ks2SampPValue(1, 20000, 20000).pvalue).toBe(0);
  });
});
