/**
 * Synthetic card-transaction data for the demo: a training set and a live stream in which
 * a couple of features drift after a while. Deterministic (seeded) so runs are comparable.
 */

export interface Transaction {
  transaction_id: string;
  customer_id: string;
  amount: number;
  merchant_category: string;
  country: string;
  channel: string;
  card_present: boolean;
  customer_age: number;
  account_age_days: number;
  device_score: number | null;
  hour_of_day: number;
  event_time: number;
}

/** mulberry32: small, fast, good enough for synthetic data; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  // Box–Muller; 1 - u keeps log away from 0.
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function pick<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  let r = rand() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  return items[items.length - 1]![0];
}

const MERCHANTS = [
  ['grocery', 30], ['restaurants', 18], ['fuel', 12], ['travel', 6], ['electronics', 8],
  ['clothing', 10], ['online_services', 9], ['health', 5], ['entertainment', 2],
] as const;
const COUNTRIES = [['DE', 40], ['FR', 20], ['NL', 12], ['ES', 10], ['IT', 10], ['GB', 5], ['US', 3]] as const;
const CHANNELS_BASE = [['pos', 60], ['online', 30], ['atm', 10]] as const;
const CHANNELS_DRIFTED = [['pos', 35], ['online', 55], ['atm', 10]] as const;

export interface DriftPlan {
  /** Multiplies amounts (a shift in the spend distribution). */
  amountScale: number;
  /** Channel mix moves towards online. */
  channelShift: boolean;
}

export const NO_DRIFT: DriftPlan = { amountScale: 1, channelShift: false };
export const DEMO_DRIFT: DriftPlan = { amountScale: 1.8, channelShift: true };

export function makeTransaction(rand: () => number, i: number, eventTime: number, drift: DriftPlan = NO_DRIFT): Transaction {
  const channel = pick(rand, drift.channelShift ? CHANNELS_DRIFTED : CHANNELS_BASE);
  const amount = Math.round(Math.exp(3.4 + 0.9 * normal(rand)) * drift.amountScale * 100) / 100;
  const age = Math.min(90, Math.max(18, Math.round(42 + 13 * normal(rand))));
  const hour = new Date(eventTime).getUTCHours();
  return {
    transaction_id: `tx-${i.toString(36)}-${Math.floor(rand() * 1e9).toString(36)}`,
    customer_id: `c${Math.floor(rand() * 5000)}`,
    amount,
    merchant_category: pick(rand, MERCHANTS),
    country: pick(rand, COUNTRIES),
    channel,
    card_present: channel !== 'online' && rand() < 0.97,
    customer_age: age,
    account_age_days: Math.floor(-Math.log(1 - rand()) * 700),
    device_score: rand() < 0.02 ? null : Math.round(rand() ** 1.5 * 1e4) / 1e4,
    hour_of_day: hour,
    event_time: eventTime,
  };
}

/** Training rows spread over 30 days before `endMs`. */
export function trainingSet(rows: number, seed: number, endMs: number): Transaction[] {
  const rand = seededRandom(seed);
  const span = 30 * 86_400_000;
  const out: Transaction[] = [];
  for (let i = 0; i < rows; i++) out.push(makeTransaction(rand, i, endMs - span + Math.floor(rand() * span)));
  return out;
}
