import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const JSON_SCHEMA = resolve(ROOT, 'schemas/transactions.schema.json');
export const AVRO_V2 = resolve(ROOT, 'schemas/transactions.avsc');
export const AVRO_V1 = resolve(ROOT, 'schemas/transactions.v1.avsc');

export const EVENT_TIME = Date.UTC(2026, 10, 23, 13, 45, 0);

export function transaction(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transaction_id: 'tx-1',
    customer_id: 'c42',
    amount: 12.5,
    merchant_category: 'grocery',
    country: 'DE',
    channel: 'pos',
    card_present: true,
    customer_age: 41,
    account_age_days: 365,
    device_score: null,
    hour_of_day: 13,
    event_time: EVENT_TIME,
    ...overrides,
  };
}

export function without(record: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const out = { ...record };
  for (const k of keys) delete out[k];
  return out;
}

export const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

export function message(value: Buffer | null, offset = '0', extra: { key?: Buffer | null; timestamp?: string } = {}) {
  return { key: extra.key ?? null, value, timestamp: extra.timestamp ?? String(EVENT_TIME + 5), offset };
}

/** Deterministic pseudo-random bytes (mulberry32) so a failing case can be replayed. */
export function pseudoRandomBytes(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}
