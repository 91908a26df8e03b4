import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, jensenShannonFromCounts } from '../../src/drift/jensen-shannon.js';
import { alignCategoryCounts } from '../../src/drift/psi.js';
import { categoricalCases, expectClose, numericCases } from './helpers/fixtures.js';

describe('Jensen–Shannon distance equals scipy.spatial.distance.jensenshannon', () => {
  it('on known values', () => {
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(0.8325546111576977, 15); // √ln2
    expect(jensenShannonDistance([0.2, 0.3, 0.5], [0.5, 0.3, 0.2])).toBeCloseTo(0.25770974832606103, 15);
    expect(jensenShannonDistance([0.25, 0.75], [0.25, 0.75])).toBe(0);
  });

  it('on the numeric fixtures (PSI bins, raw proportions) and the categorical ones', () => {
    for (const c of numericCases()) {
      expectClose(jensenShannonFromCounts(c.expected.base_counts, c.expected.cur_counts), c.expected.jensen_shannon, c.name);
    }
    for (const c of categoricalCases()) {
      const { base, cur } = alignCategoryCounts(new Map(Object.entries(c.baseline.counts)), new Map(Object.entries(c.current.counts)));
      expectClose(jensenShannonFromCounts(base, cur), c.expected.jensen_shannon, c.name);
    }
  });

  it('is symmetric and refuses mismatched bins', () => {
    expect(jensenShannonFromCounts([1, 2, 3], [3, 0, 1])).toBe(jensenShannonFromCounts([3, 0, 1], [1, 2, 3]));
    expect(() => jensenShannonDistance([1], [1, 2])).toThrow(/same bins/);
  });
});
