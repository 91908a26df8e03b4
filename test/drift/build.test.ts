import { describe, expect, it } from 'vitest';
import {
  categoricalBaselineFromValues,
  categoricalSampleFromValues,
  numericBaselineFromValues,
  numericSampleFromValues,
} from '../../src/drift/build.js';
import { psiEdges } from '../../src/drift/bins.js';
import { sampleIndices, seededRandom } from '../../src/drift/prng.js';

describe('numeric builders', () => {
  it('count null, NaN and ±Inf apart and sort the finite values', () => {
    const b = numericBaselineFromValues('x', [3, null, Number.NaN, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2, undefined]);
    expect(b).toMatchObject({ kind: 'numeric', name: 'x', rowCount: 8, finiteCount: 3, nullCount: 2, nanCount: 1, infCount: 2 });
    expect(Array.from(b.sorted)).toEqual([1, 2, 3]);
    expect(b.sampled).toBe(false);
    expect(b.psiBins).toBe(10);
    expect(Array.from(b.psiEdges)).toEqual(Array.from(psiEdges(b.sorted, 10)));
    const s = numericSampleFromValues([5, null, Number.NaN, 4]);
    expect(Array.from(s.values)).toEqual([5, 4]);
    expect([s.nullCount, s.nanCount, s.infCount]).toEqual([1, 1, 0]);
  });

  it('samples deterministically above the cap and says so', () => {
    const values = Array.from({ length: 50_000 }, (_, i) => i);
    const a = numericBaselineFromValues('x', values, { cap: 5000, seed: 7 });
    const b = numericBaselineFromValues('x', values, { cap: 5000, seed: 7 });
    const c = numericBaselineFromValues('x', values, { cap: 5000, seed: 8 });
    expect(a.sampled).toBe(true);
    expect(a.finiteCount).toBe(50_000);
    expect(a.sorted.length).toBe(5000);
    expect(new Set(a.sorted).size).toBe(5000); // without replacement
    expect(Array.from(a.sorted)).toEqual(Array.from(b.sorted));
    expect(Array.from(a.sorted)).not.toEqual(Array.from(c.sorted));
    // Uniform: the sample mean is near the population mean (sd of the mean ≈ 200 here).
    const mean = a.sorted.reduce((s, v) => s + v, 0) / a.sorted.length;
    expect(Math.abs(mean - 24_999.5)).toBeLessThan(1000);
    expect(numericBaselineFromValues('x', values.slice(0, 100), { cap: 100 }).sampled).toBe(false);
  });

  it('refuses bad options naming the feature', () => {
    expect(() => numericBaselineFromValues('age', [1], { psiBins: 0 })).toThrow(/"age"/);
    expect(() => numericBaselineFromValues('age', [1], { cap: 0 })).toThrow(/cap/);
  });
});

describe('categorical builders', () => {
  it('count categories and nulls', () => {
    const b = categoricalBaselineFromValues('country', ['DE', 'FR', null, 'DE', '', undefined]);
    expect(b.rowCount).toBe(6);
    expect(b.nullCount).toBe(2);
    expect([...b.categories]).toEqual([
      ['DE', 2],
      ['FR', 1],
      ['', 1],
    ]);
    const s = categoricalSampleFromValues(['x', null]);
    expect([...s.categories]).toEqual([['x', 1]]);
    expect(s.nullCount).toBe(1);
  });
});

describe('seeded sampling', () => {
  it('selects exactly k ascending distinct indices, reproducibly', () => {
    const idx = sampleIndices(1000, 100, 1);
    expect(idx.length).toBe(100);
    for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
    expect(Array.from(sampleIndices(1000, 100, 1))).toEqual(Array.from(idx));
    expect(Array.from(sampleIndices(5, 10, 1))).toEqual([0, 1, 2, 3, 4]);
    const r = seededRandom(3);
    const draws = Array.from({ length: 1000 }, r);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});
