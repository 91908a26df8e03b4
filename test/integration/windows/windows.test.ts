/**
 * Event-time windows end to end on the real broker: the ingest consumer feeds the DuckDB store
 * from a 3-partition topic. Partitions progress at different event-time speeds, one partition
 * has out-of-order and late events, one goes idle (and comes back late), and the consumer and
 * store are restarted in the middle. The store clock is manual so idleness is deterministic;
 * each phase is produced and fully stored before the next, so the watermark path is too.
 */
import { Partitioners, type Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestConsumer, type IngestConsumer } from '../../../src/ingest/consumer.js';
import { openStore, type DriftStore } from '../../../src/store/index.js';
import type { StreamSpec } from '../../../src/features/types.js';
import { rows, tempDir } from '../../store/fixtures.js';
import { createTopic, newKafka, testBrokers, uniqueTopic } from '../helpers/kafka.js';

const BASE = Date.UTC(2026, 10, 23, 12, 0, 0);
const S = 1_000;
const spec: StreamSpec = {
  name: 'win',
  windows: { sizeMs: 10 * S, slideMs: 10 * S, allowedLatenessMs: 2 * S, idleTimeoutMs: 10 * S },
  features: [
    { name: 'amount', kind: 'numeric', psiEdges: [10, 50] },
    { name: 'country', kind: 'categorical' },
  ],
};
const quiet = { info() {}, warn() {}, error() {} };
const topic = uniqueTopic('windows');
const groupId = uniqueTopic('windows-group');

interface Sent {
  readonly partition: number;
  readonly offset: number;
  readonly t: number;
  readonly amount: number;
  readonly country: string;
}
const sent: Sent[] = [];
const nextOffset = [0, 0, 0];

async function produce(partition: number, times: number[]): Promise<void> {
  const producer = newKafka('windows-test-producer').producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const messages: Message[] = times.map((t) => {
    const s: Sent = { partition, offset: nextOffset[partition]!++, t, amount: (t / S) % 97, country: ['FR', 'DE', 'US'][Math.round(t / S) % 3]! };
    sent.push(s);
    return { partition, key: `p${partition}`, value: JSON.stringify({ event_time: BASE + t, amount: s.amount, country: s.country }) };
  });
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

async function waitStored(store: DriftStore): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const stored = await store.storedOffsets(topic);
    if ([0, 1, 2].every((p) => nextOffset[p] === 0 || stored.get(p) === String(nextOffset[p]))) return;
    if (Date.now() > deadline) throw new Error(`stored offsets ${JSON.stringify([...stored])} never reached ${JSON.stringify(nextOffset)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('windows on a real broker', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: DriftStore;
  let consumer: IngestConsumer;
  let now = 0;

  const start = async () => {
    store = await openStore(`${dir}/dw.duckdb`, { streams: [spec], clock: () => now });
    store.expectPartitions('win', topic, [0, 1, 2]);
    consumer = createIngestConsumer(
      { brokers: testBrokers(), groupId, streams: [{ name: 'win', topic, codec: 'json', eventTimeField: 'event_time' }], fromBeginning: true, logger: quiet, maxWaitTimeMs: 200 },
      store,
    );
    await consumer.start();
  };
  const stop = async () => {
    await consumer.stop();
    await store.close();
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('win-int'));
    await createTopic(topic, 3);
    await start();
  });
  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await cleanup();
  });

  it('closes windows by the min-partition watermark, skips an idle partition, records late events, survives a restart', async () => {
    // A: partition 2 speaks once, early, then goes silent.
    await produce(2, [500]);
    await waitStored(store);
    // B: partition 0 runs ahead to 60 s; partition 1 reaches 29.5 s, out of order in pairs.
    now = 1 * S;
    await produce(0, range(1 * S, 60 * S, S));
    await produce(1, range(1 * S, 29.5 * S, 1.5 * S).flatMap((t, i, a) => (i % 2 === 0 ? [a[i + 1] ?? t, t] : [])).filter((t, i, a) => a.indexOf(t) === i));
    await waitStored(store);
    expect(store.watermark('win')).toBe(BASE + 500 - 2 * S); // held by idle-to-be partition 2
    expect(await store.closedWindows()).toEqual([]);

    // Partition 2 is idle after 10 s of wall clock; 0 and 1 are not yet.
    now = 10.5 * S;
    const closedByTick = await store.tick();
    expect(store.watermark('win')).toBe(BASE + 29.5 * S - 2 * S);
    expect(closedByTick.map((w) => w.start - BASE)).toEqual([0, 10 * S]);

    // C: partition 1: an out-of-order event still on time, progress to 49 s, then two late events.
    await produce(1, [25 * S, ...range(31 * S, 49 * S, 1.5 * S), 5 * S, 12 * S]);
    await waitStored(store);
    expect(store.watermark('win')).toBe(BASE + 49 * S - 2 * S);

    // Restart consumer and store: open windows come back from the events table.
    await stop();
    await start();
    expect(store.openWindows('win').map(([s]) => s - BASE)).toEqual([40 * S, 50 * S, 60 * S]);

    // D: partition 2 wakes up (one late event, one on time), then partition 1 moves on.
    await produce(2, [15 * S, 55 * S]);
    await waitStored(store);
    await produce(1, range(52 * S, 70 * S, 2 * S));
    await waitStored(store);
    expect(store.watermark('win')).toBe(BASE + 55 * S - 2 * S); // partition 2 holds it again

    const conn = await store.connect();
    try {
      // exactly once: every produced message stored once
      expect(await rows(conn, `SELECT count(*) AS n, count(DISTINCT ("partition", "offset")) AS d FROM events`)).toEqual([
        { n: String(sent.length), d: String(sent.length) },
      ]);
      const late = await rows(conn, `SELECT "partition", "offset", epoch_ms(window_start) - ${BASE} AS ws FROM late_events ORDER BY ALL`);
      const off = (p: number, t: number) => String(sent.find((s) => s.partition === p && s.t === t)!.offset);
      expect(late).toEqual([
        { partition: 1, offset: off(1, 5 * S), ws: '0' },
        { partition: 1, offset: off(1, 12 * S), ws: String(10 * S) },
        { partition: 2, offset: off(2, 15 * S), ws: String(10 * S) },
      ]);
      const lateKeys = new Set(late.map((l) => `${l.partition}:${l.offset}`));
      const closed = await store.closedWindows();
      expect(closed.map((w) => w.start - BASE)).toEqual([0, 10 * S, 20 * S, 30 * S, 40 * S]);
      for (const w of closed) {
        const members = sent.filter((s) => BASE + s.t >= w.start && BASE + s.t < w.end && !lateKeys.has(`${s.partition}:${s.offset}`));
        expect(w.eventCount).toBe(members.length);
        const amount = w.features[0]!;
        if (amount.kind !== 'numeric') throw new Error('amount should be numeric');
        expect(amount.mean).toBeCloseTo(members.reduce((a, s) => a + s.amount, 0) / members.length, 9);
        expect(amount.psiBinCounts).toEqual([0, 1, 2].map((b) => members.filter((s) => (s.amount >= 10 ? 1 : 0) + (s.amount >= 50 ? 1 : 0) === b).length));
        const country = w.features[1]!;
        expect(country.kind === 'categorical' && [...country.categories.values()].reduce((a, b) => a + b, 0)).toBe(members.length);
      }
    } finally {
      conn.closeSync();
    }
  });
});
