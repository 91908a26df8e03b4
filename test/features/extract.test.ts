import { describe, expect, it } from 'vitest';
import { categoricalValue, makeExtractor, numericValue } from '../../src/features/extract.js';

describe('extract', () => {
  it('numeric values', () => {
    expect([1.5, NaN, Infinity, 3n, true, false, ' 2.5 ', 'NaN', '-Infinity', '', 'abc', null, undefined, {}].map(numericValue)).toEqual([
      1.5,
      NaN,
      Infinity,
      3,
      1,
      0,
      2.5,
      NaN,
      -Infinity,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('categorical values', () => {
    expect(['FR', 3, true, 12n, null, undefined, { a: 1n }].map(categoricalValue)).toEqual(['FR', '3', 'true', '12', null, null, '{"a":"1"}']);
  });

  it('compiles a stream extractor aligned with features and keyed aggregates', () => {
    const ex = makeExtractor({
      name: 'tx',
      windows: { sizeMs: 10, slideMs: 10, allowedLatenessMs: 0, idleTimeoutMs: Infinity },
      features: [
        { name: 'amount', kind: 'numeric' },
        { name: 'country', kind: 'categorical' },
      ],
      keyedAggregates: [{ name: 'm', key: 'customer_id', feature: 'amount', agg: 'mean' }],
    });
    expect(ex({ amount: 12, country: 'FR', customer_id: 'c1', extra: 1 })).toEqual({ values: [12, 'FR'], keys: ['c1'], keyedValues: [12] });
    expect(ex({})).toEqual({ values: [null, null], keys: [null], keyedValues: [null] });
  });
});
