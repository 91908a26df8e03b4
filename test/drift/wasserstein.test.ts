import { describe, expect, it } from 'vitest';
import { stdPopulation, wassersteinNormed, wassersteinSorted } from '../../src/drift/wasserstein.js';
import { expectClose, finiteSorted, numericCases } from './helpers/fixtures.js';

const sorted = (xs: number[]): Float64Array => Float64Array.from(xs).sort();

describe('wassersteinSorted equals scipy.stats.wasserstein_distance', () => {
  it('on scipy documentation examples', () => {
    expect(wassersteinSorted(sorted([0, 1, 3]), sorted([5, 6, 8]))).toBeCloseTo(5, 14);
    expect(wassersteinSorted(sorted([3.4, 3.9, 7.5, 7.8]), sorted([4.5, 1.4]))).toBeCloseTo(2.7, 14);
    expect(wassersteinSorted(sorted([1, 1, 2]), sorted([2, 1, 1]))).toBe(0);
  });

  it.each(numericCases().map((c) => [c.name, c] as const))('%s (plain and normed)', (_name, c) => {
    const base = finiteSorted(c.baseline);
    const w = wassersteinSorted(base, finiteSorted(c.current));
    expectClose(w, c.expected.wasserstein, 'wasserstein');
    expectClose(wassersteinNormed(w, stdPopulation(base)), c.expected.wasserstein_normed, 'wasserstein_normed');
  });

  it('normalises by max(std, 0.001) and refuses empty samples', () => {
    expect(stdPopulation([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(wassersteinNormed(0.5, 0)).toBe(500);
    expect(() => wassersteinSorted(new Float64Array(0), sorted([1]))).toThrow(/non-empty/);
  });
});
