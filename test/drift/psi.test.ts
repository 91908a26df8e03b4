import { describe, expect, it } from 'vitest';
import { alignCategoryCounts, psiFromCounts } from '../../src/drift/psi.js';
import { InputError } from '../../src/errors.js';
import { categoricalCases, expectClose, numericCases } from './helpers/fixtures.js';

describe('psiFromCounts equals the numpy reference', () => {
  it('on every numeric fixture (counts from numpy)', () => {
    for (const c of numericCases()) {
      expectClose(psiFromCounts(c.expected.base_counts, c.expected.cur_counts, c.epsilon), c.expected.psi, c.name);
    }
  });

  it('on every categorical fixture (one bin per category seen on either side)', () => {
    for (const c of categoricalCases()) {
      const { base, cur } = alignCategoryCounts(new Map(Object.entries(c.baseline.counts)), new Map(Object.entries(c.current.counts)));
      expectClose(psiFromCounts(base, cur, c.epsilon), c.expected.psi, c.name);
    }
  });
});

describe('PSI definition', () => {
  it('replaces an empty bin by ε without renormalising', () => {
    const eps = 1e-4;
    const expected = (0.5 - 1) * Math.log(0.5 / 1) + (0.5 - eps) * Math.log(0.5 / eps);
    expect(psiFromCounts([10, 0], [5, 5], eps)).toBeCloseTo(expected, 14);
    expect(psiFromCounts([3, 7], [30, 70])).toBe(0);
  });

  it('refuses mismatched bins, empty sides and a non-positive ε', () => {
    expect(() => psiFromCounts([1, 2], [1])).toThrow(InputError);
    expect(() => psiFromCounts([0, 0], [1, 1])).toThrow(/non-empty/);
    expect(() => psiFromCounts([1], [1], 0)).toThrow(/epsilon/);
  });

  it('aligns categories: baseline order first, then new ones; zero counts are not categories', () => {
    const a = alignCategoryCounts(new Map([['x', 2], ['gone', 3], ['zero', 0]]), new Map([['new', 1], ['x', 4]]));
    expect(a.labels).toEqual(['x', 'gone', 'new']);
    expect(Array.from(a.base)).toEqual([2, 3, 0]);
    expect(Array.from(a.cur)).toEqual([4, 0, 1]);
  });
});
