import { afterEach, describe, expect, it } from 'vitest';
import { createIngestConsumer, type IngestConsumer, type IngestConsumerOptions } from '../../../src/ingest/consumer.js';
import type { IngestLogger } from '../../../src/ingest/logger.js';
import { noopIngestMetrics } from '../../../src/ingest/metrics.js';
import type { EventSink } from '../../../src/ingest/types.js';
import { JSON_SCHEMA, jsonBytes, transaction } from '../../ingest/fixtures.js';
import { createTopic, testBrokers, uniqueTopic } from '../helpers/kafka.js';
import { committedOffsets, endOffsets, produce, waitFor } from './support/kafka-io.js';
import { MemorySink } from './support/sinks.js';

let running: IngestConsumer[] = [];
afterEach(async () => {
  await Promise.all(running.map((c) => c.stop()));
  running = [];
});

async function topicWith(n: number, partitions = 2): Promise<string> {
  const topic = uniqueTopic('ingest-res');
  await createTopic(topic, partitions);
  await produce(
    topic,
    Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: jsonBytes(transaction({ transaction_id: `t${i}` })) })),
    20,
  );
  return topic;
}

function recordingLogger(): IngestLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m, d) => lines.push(`error ${m} ${JSON.stringify(d)}`),
  };
}

function start(topic: string, groupId: string, sink: EventSink, extra: Partial<IngestConsumerOptions> = {}): IngestConsumer {
  const c = createIngestConsumer(
    {
      brokers: testBrokers(),
      groupId,
      fromBeginning: true,
      streams: [{ name: 'res', topic, codec: 'json', schema: JSON_SCHEMA, eventTimeField: 'event_time' }],
      logger: { info() {}, warn() {}, error() {} },
      kafkaLogLevel: 'nothing',
      maxBytesPerPartition: 4096,
      ...extra,
    },
    sink,
  );
  running.push(c);
  return c;
}

const offsetsOf = (sink: MemorySink, partition: number) => sink.events().filter((e) => e.partition === partition).map((e) => Number(e.offset));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function reachedEnd(sink: MemorySink, topic: string): Promise<boolean> {
  const ends = await endOffsets(topic);
  return [...ends].every(([p, end]) => sink.next(topic, p) === end);
}

describe('ingest consumer resilience', () => {
  it('restarts after failed sink writes and still delivers everything once, in order', async () => {
    const topic = await topicWith(200);
    const sink = new MemorySink({ failFirst: 2, storesOffsets: true });
    const logger = recordingLogger();
    const c = start(topic, uniqueTopic('res-fail'), sink, { logger, restartBackoffMs: { initial: 200, max: 1000 } });
    await c.start();
    await waitFor('all events despite failures', () => reachedEnd(sink, topic), 60_000);
    expect(sink.failures).toBe(2);
    expect(logger.lines.some((l) => l.startsWith('error ingest: restarting consumer') && l.includes('simulated store failure'))).toBe(true);
    const ends = await endOffsets(topic);
    for (const [p, end] of ends) expect(offsetsOf(sink, p)).toEqual(range(0, Number(end)));
    // One partition's writes never overlap, and their offsets only move forward.
    expect(sink.maxConcurrentPerPartition).toBe(1);
    for (const p of ends.keys()) {
      const nexts = sink.batches.filter((b) => b.partition === p).map((b) => Number(b.nextOffset));
      expect(nexts).toEqual([...nexts].sort((a, b) => a - b));
    }
  });

  it('stop() finishes the batch in hand, commits it and leaves; the next consumer resumes there', async () => {
    const topic = await topicWith(300);
    const groupId = uniqueTopic('res-stop');
    const slow = new MemorySink({ delayMs: 150 });
    const first = start(topic, groupId, slow, { maxInFlightWrites: 2 });
    await first.start();
    await waitFor('a few batches', () => slow.batches.length >= 3, 30_000);
    await first.stop();
    const writesAtStop = slow.writes;
    const committed = await committedOffsets(groupId, topic);
    // Every batch handed to the sink was committed, and nothing beyond it.
    for (const [p, c] of committed) expect(c).toBe(slow.next(topic, p) ?? '-1');
    await new Promise((r) => setTimeout(r, 500));
    expect(slow.writes).toBe(writesAtStop);

    const rest = new MemorySink();
    const second = start(topic, groupId, rest);
    await second.start();
    const ends = await endOffsets(topic);
    await waitFor('the rest', () => [...ends].every(([p, end]) => (rest.next(topic, p) ?? slow.next(topic, p)) === end), 30_000);
    for (const [p, end] of ends) {
      const before = offsetsOf(slow, p);
      const after = offsetsOf(rest, p);
      expect([...before, ...after]).toEqual(range(0, Number(end)));
    }
  });

  it('seeks to the sink’s stored offsets, not Kafka’s, on join', async () => {
    const topic = await topicWith(100, 1);
    const sink = new MemorySink({ storesOffsets: true });
    sink.offsets.set(topic, new Map([[0, '60']]));
    // A fresh group with fromBeginning would start at 0; the sink says 60 is next.
    const c = start(topic, uniqueTopic('res-seek'), sink);
    await c.start();
    await waitFor('the end', () => reachedEnd(sink, topic), 30_000);
    expect(offsetsOf(sink, 0)).toEqual(range(60, 100));
  });

  it('pauses a partition whose sink falls behind and keeps writes in order', async () => {
    const topic = await topicWith(200);
    const sink = new MemorySink({ delayMs: 100, storesOffsets: true });
    // At each batch handed over, how many of the partition's batches are not yet written?
    const consumedBatches = new Map<number, number>();
    let maxPending = 0;
    const metrics = {
      ...noopIngestMetrics,
      consumed(_s: string, _t: string, partition: number) {
        consumedBatches.set(partition, (consumedBatches.get(partition) ?? 0) + 1);
        const written = sink.batches.filter((b) => b.partition === partition).length;
        maxPending = Math.max(maxPending, consumedBatches.get(partition)! - written);
      },
    };
    const c = createIngestConsumer(
      {
        brokers: testBrokers(),
        groupId: uniqueTopic('res-slow'),
        fromBeginning: true,
        streams: [{ name: 'res', topic, codec: 'json', schema: JSON_SCHEMA, eventTimeField: 'event_time' }],
        logger: { info() {}, warn() {}, error() {} },
        kafkaLogLevel: 'nothing',
        maxBytesPerPartition: 4096,
        maxInFlightWrites: 1,
        partitionsConsumedConcurrently: 2,
      },
      sink,
      metrics,
    );
    running.push(c);
    await c.start();
    await waitFor('the end', () => reachedEnd(sink, topic), 60_000);
    expect(sink.maxConcurrentPerPartition).toBe(1);
    // Fetching is ~10x faster than this sink; without the pause, pending batches pile up.
    expect(sink.batches.length).toBeGreaterThan(10);
    expect(maxPending).toBeLessThanOrEqual(2);
    const ends = await endOffsets(topic);
    for (const [p, end] of ends) expect(offsetsOf(sink, p)).toEqual(range(0, Number(end)));
  });
});
