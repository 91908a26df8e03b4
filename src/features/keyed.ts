/**
 * Keyed aggregates: agg(feature) per distinct key per window. Each key keeps five numbers
 * (events, finite n, sum, min, max), so memory grows with windows × aggregates × keys and
 * not with events; every agg in KeyedAggs is derived from those at close, and merging two
 * states is exact.
 */
import type { KeyedAggregateSpec, KeyedValue, KeyedWindowStats } from './types.js';

export interface KeyState {
  events: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

export type KeyedAccumulator = Map<string, KeyState>;

export function addKeyed(acc: KeyedAccumulator, key: string | null, x: number | null): void {
  if (key === null) return;
  let st = acc.get(key);
  if (st === undefined) {
    st = { events: 0, n: 0, sum: 0, min: Infinity, max: -Infinity };
    acc.set(key, st);
  }
  st.events++;
  if (x !== null && Number.isFinite(x)) {
    st.n++;
    st.sum += x;
    if (x < st.min) st.min = x;
    if (x > st.max) st.max = x;
  }
}

export function mergeKeyedInto(into: KeyedAccumulator, from: KeyedAccumulator): void {
  for (const [key, f] of from) {
    const st = into.get(key);
    if (st === undefined) {
      into.set(key, { ...f });
      continue;
    }
    st.events += f.events;
    st.n += f.n;
    st.sum += f.sum;
    if (f.min < st.min) st.min = f.min;
    if (f.max > st.max) st.max = f.max;
  }
}

export function keyedValue(spec: KeyedAggregateSpec, st: KeyState): KeyedValue {
  let value: number | null;
  switch (spec.agg) {
    case 'count':
      value = st.events;
      break;
    case 'sum':
      value = st.n > 0 ? st.sum : null;
      break;
    case 'mean':
      value = st.n > 0 ? st.sum / st.n : null;
      break;
    case 'min':
      value = st.n > 0 ? st.min : null;
      break;
    case 'max':
      value = st.n > 0 ? st.max : null;
      break;
  }
  return { events: st.events, n: st.n, value };
}

export function finalizeKeyed(spec: KeyedAggregateSpec, acc: KeyedAccumulator): KeyedWindowStats {
  const keys = [...acc.keys()].sort();
  const values = new Map<string, KeyedValue>();
  for (const k of keys) values.set(k, keyedValue(spec, acc.get(k) as KeyState));
  return { name: spec.name, key: spec.key, feature: spec.feature, agg: spec.agg, values };
}
