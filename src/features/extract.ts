/**
 * Turns a decoded payload into the typed values the engine and the `events` table use.
 * Payloads were validated upstream; these rules only decide how loose JSON maps onto a
 * feature kind, so that the in-memory aggregates and SQL over the stored columns agree.
 */
import type { FeatureValue, StreamSpec } from './types.js';

/**
 * Numeric feature value: numbers as they are (NaN/±Inf kept, they are counted apart),
 * bigint → number, boolean → 0/1, numeric strings (incl. "NaN", "Infinity") parsed;
 * absent, null and anything else → null (missing).
 */
export function numericValue(v: unknown): number | null {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string': {
      const s = v.trim();
      if (s === '') return null;
      const x = Number(s);
      return Number.isNaN(x) && s !== 'NaN' ? null : x;
    }
    default:
      return null;
  }
}

/** Categorical feature value: strings as they are, numbers/booleans/bigints stringified, objects as JSON. */
export function categoricalValue(v: unknown): string | null {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(v);
    case 'object':
      return v === null ? null : JSON.stringify(v, jsonReplacer);
    default:
      return null;
  }
}

/** JSON.stringify replacer that survives bigints (Avro longs) and keeps Dates as ISO strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export interface ExtractedValues {
  readonly values: FeatureValue[];
  readonly keys: (string | null)[];
  readonly keyedValues: (number | null)[];
}

export type Extractor = (fields: Readonly<Record<string, unknown>>) => ExtractedValues;

/** Compiles the field lookups of a stream once. */
export function makeExtractor(spec: StreamSpec): Extractor {
  const features = spec.features.map((f) => ({ name: f.name, numeric: f.kind === 'numeric' }));
  const keyed = (spec.keyedAggregates ?? []).map((k) => ({ key: k.key, feature: k.feature }));
  return (fields) => {
    const values: FeatureValue[] = new Array(features.length);
    for (let i = 0; i < features.length; i++) {
      const f = features[i] as { name: string; numeric: boolean };
      const raw = fields[f.name];
      values[i] = f.numeric ? numericValue(raw) : categoricalValue(raw);
    }
    const keys: (string | null)[] = new Array(keyed.length);
    const keyedValues: (number | null)[] = new Array(keyed.length);
    for (let i = 0; i < keyed.length; i++) {
      const k = keyed[i] as { key: string; feature: string };
      keys[i] = categoricalValue(fields[k.key]);
      keyedValues[i] = numericValue(fields[k.feature]);
    }
    return { values, keys, keyedValues };
  };
}
