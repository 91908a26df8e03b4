import { describe, expect, it } from 'vitest';
import { binCounts } from '../../src/drift/bins.js';
import {
  addValue,
  finalizeStats,
  mergeAccumulators,
  newAccumulator,
  psiBinIndex,
  type NumericAccumulator,
} from '../../src/features/aggregate.js';
import type { FeatureSpec, NumericWindowStats } from '../../src/features/types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const edges = [-1, 0, 0.5, 2];
const numSpec: FeatureSpec = { name: 'amount', kind: 'numeric', psiEdges: edges };

function sample(n: number, seed: number): (number | null)[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const u = r();
    if (u < 0.05) return null;
    if (u < 0.07) return NaN;
    if (u < 0.08) return u < 0.075 ? Infinity : -Infinity;
    if (u < 0.1) return 0.5; // exactly on an edge
    return (r() - 0.4) * 6 + 1e6 * (u < 0.11 ? 1 : 0);
  });
}

function naive(xs: (number | null)[]) {
  const fin = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  const mean = fin.reduce((a, b) => a + b, 0) / fin.length;
  const variance = fin.reduce((a, b) => a + (b - mean) ** 2, 0) / (fin.length - 1);
  const bins = new Array(edges.length + 1).fill(0);
  for (const x of fin) bins[edges.filter((e) => e <= x).length]++;
  return {
    count: xs.length,
    nullCount: xs.filter((x) => x === null).length,
    nanCount: xs.filter((x) => x !== null && Number.isNaN(x)).length,
    infCount: xs.filter((x) => x === Infinity || x === -Infinity).length,
    n: fin.length,
    sum: fin.reduce((a, b) => a + b, 0),
    mean,
    variance,
    min: Math.min(...fin),
    max: Math.max(...fin),
    bins,
  };
}

describe('psiBinIndex', () => {
  it('counts edges <= x (numpy searchsorted side=right)', () => {
    expect(psiBinIndex(edges, -5)).toBe(0);
    expect(psiBinIndex(edges, -1)).toBe(1);
    expect(psiBinIndex(edges, -0.5)).toBe(1);
    expect(psiBinIndex(edges, 0.5)).toBe(3);
    expect(psiBinIndex(edges, 2)).toBe(4);
    expect(psiBinIndex(edges, 1e9)).toBe(4);
    expect(psiBinIndex([], 3)).toBe(0);
    expect(psiBinIndex([1, 1, 2], 1)).toBe(2);
  });
});

describe('numeric accumulator', () => {
  it('matches a naive two-pass computation', () => {
    const xs = sample(5_000, 7);
    const acc = newAccumulator(numSpec);
    for (const x of xs) addValue(acc, x, numSpec);
    const s = finalizeStats('amount', acc) as NumericWindowStats;
    const ref = naive(xs);
    expect([s.count, s.nullCount, s.nanCount, s.infCount]).toEqual([ref.count, ref.nullCount, ref.nanCount, ref.infCount]);
    expect(s.sum).toBeCloseTo(ref.sum, 6);
    expect(s.mean).toBeCloseTo(ref.mean, 9);
    expect(s.variance! / ref.variance).toBeCloseTo(1, 12);
    expect([s.min, s.max]).toEqual([ref.min, ref.max]);
    expect(s.psiBinCounts).toEqual(ref.bins);
    expect(s.quantiles).toBeNull();
  });

  it('merging any split equals accumulating the whole (Chan)', () => {
    const xs = sample(3_000, 11);
    const whole = newAccumulator(numSpec) as NumericAccumulator;
    for (const x of xs) addValue(whole, x, numSpec);
    const r = rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const parts = [newAccumulator(numSpec), newAccumulator(numSpec), newAccumulator(numSpec), newAccumulator(numSpec)];
      for (const x of xs) addValue(parts[Math.floor(r() * parts.length)]!, x, numSpec);
      const merged = mergeAccumulators(numSpec, parts) as NumericAccumulator;
      expect([merged.count, merged.nullCount, merged.nanCount, merged.infCount, merged.n]).toEqual([
        whole.count,
        whole.nullCount,
        whole.nanCount,
        whole.infCount,
        whole.n,
      ]);
      expect(merged.mean).toBeCloseTo(whole.mean, 9);
      expect(merged.m2 / whole.m2).toBeCloseTo(1, 12);
      expect([merged.min, merged.max]).toEqual([whole.min, whole.max]);
      expect(Array.from(merged.bins!)).toEqual(Array.from(whole.bins!));
    }
  });

  it('merging with empty parts is the identity; stats of no finite values are null', () => {
    const a = newAccumulator(numSpec);
    addValue(a, 3, numSpec);
    const m = mergeAccumulators(numSpec, [newAccumulator(numSpec), a, newAccumulator(numSpec)]);
    const s = finalizeStats('amount', m) as NumericWindowStats;
    expect([s.count, s.mean, s.variance, s.min, s.max, s.sum]).toEqual([1, 3, null, 3, 3, 3]);
    const empty = newAccumulator(numSpec);
    addValue(empty, null, numSpec);
    addValue(empty, NaN, numSpec);
    const e = finalizeStats('amount', empty) as NumericWindowStats;
    expect([e.count, e.nullCount, e.nanCount, e.mean, e.min, e.max, e.variance]).toEqual([2, 1, 1, null, null, null, null]);
    expect(e.psiBinCounts).toEqual([0, 0, 0, 0, 0]);
  });

  it('is numerically stable for a large offset (Welford, not sum of squares)', () => {
    const spec: FeatureSpec = { name: 'ts', kind: 'numeric' };
    const acc = newAccumulator(spec);
    for (const x of [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]) addValue(acc, x, spec);
    expect((finalizeStats('ts', acc) as NumericWindowStats).variance).toBeCloseTo(30, 9);
  });
});

describe('categorical accumulator', () => {
  it('counts categories and nulls; merge adds; keys come out sorted', () => {
    const spec: FeatureSpec = { name: 'country', kind: 'categorical' };
    const a = newAccumulator(spec);
    const b = newAccumulator(spec);
    for (const v of ['FR', 'DE', null, 'FR']) addValue(a, v, spec);
    for (const v of ['US', 'FR', null]) addValue(b, v, spec);
    const s = finalizeStats('country', mergeAccumulators(spec, [a, b]));
    expect(s.kind).toBe('categorical');
    if (s.kind !== 'categorical') return;
    expect([s.count, s.nullCount]).toEqual([7, 2]);
    expect([...s.categories]).toEqual([['DE', 1], ['FR', 3], ['US', 1]]);
  });
});

describe('agreement with the drift module', () => {
  it('PSI bin counts equal src/drift/bins.ts binCounts over the finite values', () => {
    const xs = sample(4_000, 19);
    const acc = newAccumulator(numSpec);
    for (const x of xs) addValue(acc, x, numSpec);
    const finite = Float64Array.from(xs.filter((x): x is number => x !== null && Number.isFinite(x)));
    expect((finalizeStats('amount', acc) as NumericWindowStats).psiBinCounts).toEqual(Array.from(binCounts(finite, Float64Array.from(edges))));
  });
});
