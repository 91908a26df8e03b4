import { describe, expect, it } from 'vitest';
import { binCounts, binCountsSorted, binIndex, psiEdges } from '../../src/drift/bins.js';
import { finiteSorted, numericCases } from './helpers/fixtures.js';

describe('psiEdges and binCounts equal numpy (quantile edges, searchsorted right)', () => {
  it.each(numericCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const base = finiteSorted(c.baseline);
    const cur = finiteSorted(c.current);
    const edges = psiEdges(base, c.bins);
    expect(Array.from(edges)).toEqual(c.expected.edges);
    expect(Array.from(binCountsSorted(base, edges))).toEqual(c.expected.base_counts);
    expect(Array.from(binCountsSorted(cur, edges))).toEqual(c.expected.cur_counts);
    // Unsorted path gives the same counts.
    const shuffled = Float64Array.from(cur).reverse();
    expect(Array.from(binCounts(shuffled, edges))).toEqual(c.expected.cur_counts);
  });
});

describe('binning rules', () => {
  it('puts a value equal to an edge in the bin to its right, open-ended at both ends', () => {
    const edges = Float64Array.of(1, 2, 3);
    expect([-1e300, 0.999, 1, 1.5, 2, 3, 1e300].map((x) => binIndex(edges, x))).toEqual([0, 0, 1, 1, 2, 3, 3]);
    expect(Array.from(binCounts([1, 1, 2, 5, 0, Number.NaN], edges))).toEqual([1, 2, 1, 1]);
  });

  it('collapses duplicate edges (constant column → one edge, two bins)', () => {
    const edges = psiEdges(Float64Array.of(4, 4, 4, 4), 10);
    expect(Array.from(edges)).toEqual([4]);
    expect(Array.from(binCountsSorted(Float64Array.of(3, 4, 4, 9), edges))).toEqual([1, 3]);
  });

  it('uses binCountsSorted when told the input is sorted', () => {
    const sorted = Float64Array.of(0, 1, 2, 3, 4, 5);
    const edges = Float64Array.of(2.5);
    expect(Array.from(binCounts(sorted, edges, { sorted: true }))).toEqual([3, 3]);
  });

  it('refuses a bad bin count', () => {
    expect(() => psiEdges(Float64Array.of(1, 2), 0)).toThrow(/bin count/);
  });
});
