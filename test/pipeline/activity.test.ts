import { describe, expect, it } from 'vitest';
import { InMemoryIngestMetrics } from '../../src/ingest/metrics.js';
import type { EventSink, PartitionBatch } from '../../src/ingest/types.js';
import { ActivitySink, teeIngestMetrics } from '../../src/pipeline/activity.js';

class MemorySink implements EventSink {
  readonly batches: PartitionBatch[] = [];
  fail = false;
  async write(b: PartitionBatch): Promise<void> {
    if (this.fail) throw new Error('disk full');
    this.batches.push(b);
  }
  async storedOffsets(): Promise<ReadonlyMap<number, string>> {
    return new Map([[0, '7']]);
  }
}

const batch = (events: number): PartitionBatch => ({
  topic: 't',
  partition: 0,
  nextOffset: '7',
  events: Array.from({ length: events }, (_, i) => ({ stream: 's', topic: 't', partition: 0, offset: String(i), eventTime: i, kafkaTimestamp: i, key: null, fields: {} })),
});

describe('ActivitySink', () => {
  it('passes batches through and notes when the last one arrived', async () => {
    let now = 1_000;
    const inner = new MemorySink();
    const sink = new ActivitySink(inner, () => now);
    expect(sink.lastActivity).toBe(1_000);
    now = 5_000;
    await sink.write(batch(3));
    now = 6_000;
    await sink.write(batch(0)); // only invalid messages: still activity
    expect(inner.batches).toHaveLength(2);
    expect(sink.lastActivity).toBe(6_000);
    expect(sink.batches).toBe(2);
    expect(sink.events).toBe(3);
    expect(await sink.storedOffsets('t')).toEqual(new Map([[0, '7']]));
    now = 9_000;
    sink.touch();
    expect(sink.lastActivity).toBe(9_000);
  });

  it('does not count a batch the inner sink refused', async () => {
    const inner = new MemorySink();
    inner.fail = true;
    const sink = new ActivitySink(inner);
    await expect(sink.write(batch(2))).rejects.toThrow('disk full');
    expect(sink.events).toBe(0);
  });
});

describe('teeIngestMetrics', () => {
  it('feeds every target and keeps totals over streams', () => {
    const a = new InMemoryIngestMetrics();
    const b = new InMemoryIngestMetrics();
    const { metrics, totals } = teeIngestMetrics([a, b]);
    metrics.consumed('s1', 't', 0, 10);
    metrics.consumed('s2', 't2', 1, 5);
    metrics.valid('s1', 9);
    metrics.invalid('s1', 'decode', 'json-syntax', 1);
    metrics.dlq('s1', 't.dlq', 1);
    metrics.committed('t', 0, '10');
    metrics.lag('t', 0, 3);
    expect(totals).toEqual({ consumed: 15, valid: 9, invalid: 1, dlq: 1 });
    for (const m of [a, b]) {
      expect(m.snapshot()).toMatchObject({ consumed: { s1: 10, s2: 5 }, committed: { 't|0': '10' }, lag: { 't|0': 3 } });
    }
  });
});
