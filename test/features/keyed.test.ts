import { describe, expect, it } from 'vitest';
import { addKeyed, finalizeKeyed, mergeKeyedInto, type KeyedAccumulator } from '../../src/features/keyed.js';
import type { KeyedAggregateSpec } from '../../src/features/types.js';

const spec = (agg: KeyedAggregateSpec['agg']): KeyedAggregateSpec => ({ name: `${agg}_amount_by_customer`, key: 'customer_id', feature: 'amount', agg });

describe('keyed aggregates', () => {
  const rows: [string | null, number | null][] = [
    ['c2', 10],
    ['c1', 5],
    ['c1', null],
    ['c2', 30],
    [null, 100],
    ['c1', 7],
    ['c3', NaN],
  ];

  it('computes every agg per key, skipping null keys and non-finite values', () => {
    const acc: KeyedAccumulator = new Map();
    for (const [k, x] of rows) addKeyed(acc, k, x);
    const out = (agg: KeyedAggregateSpec['agg']) => [...finalizeKeyed(spec(agg), acc).values].map(([k, v]) => [k, v.value]);
    expect(out('count')).toEqual([['c1', 3], ['c2', 2], ['c3', 1]]);
    expect(out('sum')).toEqual([['c1', 12], ['c2', 40], ['c3', null]]);
    expect(out('mean')).toEqual([['c1', 6], ['c2', 20], ['c3', null]]);
    expect(out('min')).toEqual([['c1', 5], ['c2', 10], ['c3', null]]);
    expect(out('max')).toEqual([['c1', 7], ['c2', 30], ['c3', null]]);
    expect(finalizeKeyed(spec('mean'), acc).values.get('c1')).toEqual({ events: 3, n: 2, value: 6 });
  });

  it('merge of a split equals the whole', () => {
    const whole: KeyedAccumulator = new Map();
    const a: KeyedAccumulator = new Map();
    const b: KeyedAccumulator = new Map();
    rows.forEach(([k, x], i) => {
      addKeyed(whole, k, x);
      addKeyed(i % 2 ? a : b, k, x);
    });
    const merged: KeyedAccumulator = new Map();
    mergeKeyedInto(merged, a);
    mergeKeyedInto(merged, b);
    expect(finalizeKeyed(spec('mean'), merged)).toEqual(finalizeKeyed(spec('mean'), whole));
    // merging must not alias the source state
    merged.get('c2')!.events = 99;
    expect(a.get('c2')?.events ?? b.get('c2')?.events).not.toBe(99);
  });
});
