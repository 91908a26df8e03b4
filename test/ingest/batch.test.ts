import { describe, expect, it } from 'vitest';
import { processBatch, type BatchMessage } from '../../src/ingest/batch.js';
import { createStreamProcessor } from '../../src/ingest/stream.js';
import { ROOT, jsonBytes, transaction } from './fixtures.js';

const processor = createStreamProcessor(
  { name: 'payments', topic: 'tx', codec: 'json', schema: 'schemas/transactions.schema.json', eventTimeField: 'event_time' },
  ROOT,
);

function batch(n: number, bad: (i: number) => boolean): BatchMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    key: Buffer.from(`k${i}`),
    value: bad(i) ? Buffer.from(`not json ${i}`) : jsonBytes(transaction({ transaction_id: `t${i}` })),
    timestamp: '1700000000000',
    offset: String(100 + i),
    headers: { origin: Buffer.from(`h${i}`) },
  }));
}

describe('processBatch', () => {
  it('splits valid events from DLQ messages, keeping offset order and counts', async () => {
    const msgs = batch(25, (i) => i % 5 === 0);
    let checks = 0;
    const r = await processBatch(processor, 4, msgs, () => (checks++, 'continue'), 10, () => 42);
    expect(r).not.toBeNull();
    expect(checks).toBe(2); // after 10 and 20, not after the last chunk
    expect(r!.events.map((e) => e.offset)).toEqual(msgs.filter((_, i) => i % 5 !== 0).map((m) => m.offset));
    expect(r!.dead).toHaveLength(5);
    expect(r!.dead[1]!.headers['driftwatch.error.offset']).toBe('105');
    expect(r!.dead[1]!.headers['driftwatch.error.partition']).toBe('4');
    expect(r!.dead[1]!.headers['driftwatch.error.timestamp']).toBe('42');
    expect(r!.dead[1]!.headers.origin).toEqual(Buffer.from('h5'));
    expect(r!.dead[1]!.value).toBe(msgs[5]!.value);
    expect(r!.dead[1]!.key).toBe(msgs[5]!.key);
    expect(r!.invalid).toEqual([{ stage: 'decode', reasonClass: 'json-syntax', count: 5 }]);
    expect(r!.processed).toBe(25);
    expect(r!.lastOffset).toBe('124');
  });

  it('stops after a chunk when asked to truncate, reporting the prefix', async () => {
    const r = await processBatch(processor, 0, batch(25, () => false), () => 'truncate', 10);
    expect(r!.processed).toBe(10);
    expect(r!.events).toHaveLength(10);
    expect(r!.lastOffset).toBe('109');
  });

  it('returns null when the batch is abandoned (stale after a rebalance)', async () => {
    let calls = 0;
    const r = await processBatch(processor, 0, batch(25, () => false), async () => (++calls === 2 ? 'abandon' : 'continue'), 10);
    expect(r).toBeNull();
    expect(calls).toBe(2);
  });

  it('handles an empty batch', async () => {
    const r = await processBatch(processor, 0, [], () => 'continue');
    expect(r).toEqual({ events: [], dead: [], invalid: [], processed: 0, lastOffset: undefined });
  });
});
