/**
 * The demo's live stream as Kafka messages: hours of card transactions in event-time order
 * (with a little out-of-order jitter inside the allowed lateness), a drift in amount and
 * channel mix part-way through, about 1% invalid messages of several kinds, and a few events
 * that arrive long after their window closed. Deterministic for a seed.
 */
import { DEMO_DRIFT, NO_DRIFT, makeTransaction, seededRandom } from './generate.js';
import type { Transaction } from './generate.js';

/** How an invalid message is broken; each lands on the DLQ at a different stage or with a different reason. */
export const InvalidKinds = {
  notJson: 'not-json',
  truncatedJson: 'truncated-json',
  missingField: 'missing-field',
  wrongType: 'wrong-type',
  outOfRange: 'out-of-range',
  unknownChannel: 'unknown-channel',
  badEventTime: 'bad-event-time',
  empty: 'empty',
  invalidUtf8: 'invalid-utf8',
} as const;
export type InvalidKind = (typeof InvalidKinds)[keyof typeof InvalidKinds];

export const MessageKinds = { valid: 'valid', late: 'late', ...InvalidKinds } as const;
export type MessageKind = (typeof MessageKinds)[keyof typeof MessageKinds];

export interface DemoMessage {
  readonly kind: MessageKind;
  readonly key: string | null;
  readonly value: Buffer | null;
  /** Event time of the transaction (for invalid messages: where in the stream they were sent). */
  readonly eventTime: number;
}

export interface DemoStreamOptions {
  /** Event time of the first transaction (epoch ms). */
  readonly startMs: number;
  readonly durationMs: number;
  /** Valid, on-time transactions in the whole stream. */
  readonly events: number;
  /** Share of the stream after which amount and channel drift (default 0.5). */
  readonly driftAfter?: number;
  /** Invalid messages per valid one (default 0.01). */
  readonly invalidShare?: number;
  /** Late events per valid one (default 0.004). */
  readonly lateShare?: number;
  /** Event times are up to this much older than the stream position (default 60 s). */
  readonly jitterMs?: number;
  /** Late events are this far behind the stream position (default 35–120 min). */
  readonly lateByMs?: readonly [number, number];
  readonly seed?: number;
}

const INVALID_ORDER = Object.values(InvalidKinds);

/** The valid transaction, broken as `kind` says. Pure. */
export function breakTransaction(kind: InvalidKind, tx: Transaction): Buffer | null {
  const json = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));
  switch (kind) {
    case 'not-json':
      return Buffer.from(`transaction ${tx.transaction_id} amount=${tx.amount}`);
    case 'truncated-json':
      return json(tx).subarray(0, 40);
    case 'missing-field': {
      const { amount: _drop, ...rest } = tx;
      return json(rest);
    }
    case 'wrong-type':
      return json({ ...tx, amount: `${tx.amount.toFixed(2)} EUR` });
    case 'out-of-range':
      return json({ ...tx, customer_age: 212 });
    case 'unknown-channel':
      return json({ ...tx, channel: 'carrier_pigeon' });
    case 'bad-event-time':
      return json({ ...tx, event_time: 'yesterday afternoon' });
    case 'empty':
      return Buffer.alloc(0);
    case 'invalid-utf8':
      return Buffer.concat([json(tx).subarray(0, 30), Buffer.from([0xc3, 0x28, 0xff]), json(tx).subarray(30)]);
  }
}

/** Messages in send order. */
export function* demoStream(o: DemoStreamOptions): Generator<DemoMessage> {
  const rand = seededRandom(o.seed ?? 7);
  const driftAt = o.startMs + o.durationMs * (o.driftAfter ?? 0.5);
  const invalidShare = o.invalidShare ?? 0.01;
  const lateShare = o.lateShare ?? 0.004;
  const jitter = o.jitterMs ?? 60_000;
  const [lateMin, lateMax] = o.lateByMs ?? [35 * 60_000, 120 * 60_000];
  const step = o.durationMs / o.events;
  let invalidSent = 0;
  const planFor = (t: number) => (t >= driftAt ? DEMO_DRIFT : NO_DRIFT);
  for (let i = 0; i < o.events; i++) {
    const position = o.startMs + Math.floor(i * step + rand() * step);
    const t = Math.max(o.startMs, position - Math.floor(rand() * jitter));
    const tx = makeTransaction(rand, i, t, planFor(t));
    yield { kind: 'valid', key: tx.customer_id, value: Buffer.from(JSON.stringify(tx)), eventTime: t };
    if (rand() < invalidShare) {
      // Cycle through the kinds so every one shows up, in a stream-position-dependent order.
      const kind = INVALID_ORDER[invalidSent++ % INVALID_ORDER.length]!;
      const bad = makeTransaction(rand, o.events + invalidSent, position, planFor(position));
      yield { kind, key: bad.customer_id, value: breakTransaction(kind, bad), eventTime: position };
    }
    const lateTime = position - lateMin - Math.floor(rand() * (lateMax - lateMin));
    if (rand() < lateShare && lateTime >= o.startMs) {
      const late = makeTransaction(rand, 2 * o.events + i, lateTime, planFor(lateTime));
      yield { kind: 'late', key: late.customer_id, value: Buffer.from(JSON.stringify(late)), eventTime: lateTime };
    }
  }
}
