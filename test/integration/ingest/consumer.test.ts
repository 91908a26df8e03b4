import { readFileSync } from 'node:fs';
import type { IHeaders, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAvroSchemaFile } from '../../../src/ingest/avro-codec.js';
import { frameConfluent } from '../../../src/ingest/confluent-codec.js';
import { createIngestConsumer, type IngestConsumer } from '../../../src/ingest/consumer.js';
import { InMemoryIngestMetrics } from '../../../src/ingest/metrics.js';
import type { StreamOptions } from '../../../src/ingest/stream.js';
import { AVRO_V1, AVRO_V2, JSON_SCHEMA, jsonBytes, pseudoRandomBytes, transaction, without } from '../../ingest/fixtures.js';
import { startRegistry, type FakeRegistry } from '../../ingest/registry-server.js';
import { createTopic, testBrokers, uniqueTopic } from '../helpers/kafka.js';
import { committedOffsets, endOffsets, header, produce, readTopic, waitFor } from './support/kafka-io.js';
import { MemorySink } from './support/sinks.js';

const v1 = loadAvroSchemaFile(AVRO_V1);
const v2 = loadAvroSchemaFile(AVRO_V2);
const quiet = { info() {}, warn() {}, error() {} };

interface Expectation {
  readonly topic: string;
  readonly message: Message & { key: string; value: Buffer | null };
  /** undefined: valid; else the DLQ stage and reason class. */
  readonly fails?: readonly [stage: string, reasonClass: string];
}

const topics = {
  json: uniqueTopic('ingest-json'),
  avro: uniqueTopic('ingest-avro'),
  registry: uniqueTopic('ingest-registry'),
  brokenRegistry: uniqueTopic('ingest-broken-registry'),
};
const groupId = uniqueTopic('ingest-group');

let goodRegistry: FakeRegistry;
let badRegistry: FakeRegistry;
const expectations: Expectation[] = [];

function add(topic: string, n: number, value: Buffer | null, fails?: readonly [string, string]): void {
  const key = `${topic}-k${expectations.length}`;
  // Original headers, binary included, must reach the DLQ untouched.
  const headers: IHeaders = { 'trace-id': `trace-${n}`, bin: Buffer.from([0xff, 0x00, n & 0xff]) };
  expectations.push({ topic, message: { key, value, headers }, fails });
}

function streams(): StreamOptions[] {
  return [
    { name: 'json', topic: topics.json, codec: 'json', schema: JSON_SCHEMA, eventTimeField: 'event_time', extraFields: 'reject' },
    { name: 'avro', topic: topics.avro, codec: 'avro', schema: AVRO_V1, readerSchema: AVRO_V2, eventTimeField: 'event_time' },
    {
      name: 'registry',
      topic: topics.registry,
      codec: 'confluent-avro',
      readerSchema: AVRO_V2,
      registry: { url: goodRegistry.url, backoffMs: 10 },
      eventTimeField: 'event_time',
      dlqTopic: `${topics.registry}.dead`,
    },
    {
      name: 'broken-registry',
      topic: topics.brokenRegistry,
      codec: 'confluent-avro',
      readerSchema: AVRO_V2,
      registry: { url: badRegistry.url, retries: 2, backoffMs: 10, failureTtlMs: 0 },
      eventTimeField: 'event_time',
    },
  ];
}

const v1Record = (i: number) => ({ ...without(transaction({ transaction_id: `v1-${i}` }), 'device_score'), legacy_terminal_id: null });

beforeAll(async () => {
  goodRegistry = await startRegistry(
    new Map([
      [1, readFileSync(AVRO_V1, 'utf8')],
      [2, readFileSync(AVRO_V2, 'utf8')],
    ]),
  );
  badRegistry = await startRegistry(new Map([[5, readFileSync(AVRO_V2, 'utf8')]]), (_id, _attempt, res) => {
    res.writeHead(500).end('registry down');
  });
  await Promise.all([createTopic(topics.json, 2), createTopic(topics.avro, 1), createTopic(topics.registry, 1), createTopic(topics.brokenRegistry, 1)]);

  let n = 0;
  for (let i = 0; i < 60; i++) add(topics.json, n++, jsonBytes(transaction({ transaction_id: `j-${i}`, amount: i })));
  add(topics.json, n++, pseudoRandomBytes(300, 11), ['decode', 'invalid-utf8']);
  add(topics.json, n++, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), ['decode', 'invalid-utf8']);
  add(topics.json, n++, Buffer.from('{"amount": 1,'), ['decode', 'json-syntax']);
  add(topics.json, n++, Buffer.from('[1,2,3]'), ['decode', 'not-object']);
  add(topics.json, n++, jsonBytes(transaction({ amount: 'twelve' })), ['validate', 'type']);
  add(topics.json, n++, jsonBytes(without(transaction(), 'customer_id')), ['validate', 'required']);
  add(topics.json, n++, jsonBytes(transaction({ coupon: 'X' })), ['validate', 'extra-field']);
  add(topics.json, n++, jsonBytes(transaction({ event_time: 'last tuesday' })), ['validate', 'format']);
  add(topics.json, n++, null, ['decode', 'empty']);
  add(topics.json, n++, Buffer.alloc(0), ['decode', 'empty']);
  add(topics.json, n++, jsonBytes(transaction({ attachment: 'a'.repeat(5 * 1024 * 1024) })), ['validate', 'extra-field']);
  for (let i = 60; i < 80; i++) add(topics.json, n++, jsonBytes(transaction({ transaction_id: `j-${i}` })));

  for (let i = 0; i < 30; i++) add(topics.avro, n++, v1.toBuffer(v1Record(i)));
  const good = v1.toBuffer(v1Record(99));
  add(topics.avro, n++, good.subarray(0, good.length - 5), ['decode', 'avro-truncated']);
  add(topics.avro, n++, Buffer.concat([good, Buffer.from([7, 7])]), ['decode', 'avro-trailing']);
  add(topics.avro, n++, null, ['decode', 'empty']);

  for (let i = 0; i < 20; i++) add(topics.registry, n++, frameConfluent(1, v1.toBuffer(v1Record(i))));
  for (let i = 0; i < 20; i++) add(topics.registry, n++, frameConfluent(2, v2.toBuffer(transaction({ transaction_id: `v2-${i}`, device_score: 0.5 }))));
  add(topics.registry, n++, frameConfluent(99, v2.toBuffer(transaction())), ['schema-registry', 'schema-unknown']);
  add(topics.registry, n++, Buffer.concat([Buffer.from([1]), v2.toBuffer(transaction())]), ['decode', 'bad-framing']);
  add(topics.registry, n++, frameConfluent(2, Buffer.from([1, 2, 3])), ['decode', 'avro-truncated']);

  for (let i = 0; i < 5; i++) add(topics.brokenRegistry, n++, frameConfluent(5, v2.toBuffer(transaction({ transaction_id: `b-${i}` }))), ['schema-registry', 'registry-unavailable']);

  for (const topic of Object.values(topics)) {
    await produce(
      topic,
      expectations.filter((e) => e.topic === topic).map((e) => e.message),
    );
  }
}, 120_000);

afterAll(async () => {
  await goodRegistry?.close();
  await badRegistry?.close();
});

function startConsumer(sink: MemorySink, metrics: InMemoryIngestMetrics): IngestConsumer {
  return createIngestConsumer(
    { brokers: testBrokers(), groupId, streams: streams(), fromBeginning: true, logger: quiet, kafkaLogLevel: 'nothing', maxBytesPerPartition: 16 * 1024 },
    sink,
    metrics,
  );
}

async function consumeEverything(sink: MemorySink, metrics: InMemoryIngestMetrics): Promise<IngestConsumer> {
  const consumer = startConsumer(sink, metrics);
  await consumer.start();
  const ends = await Promise.all(Object.values(topics).map(async (t) => [t, await endOffsets(t)] as const));
  await waitFor(
    'the sink to reach the end of every partition',
    () => ends.every(([t, m]) => [...m].every(([p, end]) => sink.next(t, p) === end)),
    60_000,
  );
  return consumer;
}

describe('ingest consumer against a real broker', () => {
  const sink = new MemorySink();
  const metrics = new InMemoryIngestMetrics();

  it('delivers every valid event once, dead-letters every invalid one, then commits', async () => {
    const consumer = await consumeEverything(sink, metrics);
    await consumer.stop();

    const valid = expectations.filter((e) => !e.fails);
    const invalid = expectations.filter((e) => e.fails);
    const events = sink.events();
    // Exactly once: one event per valid message, none twice.
    expect(events).toHaveLength(valid.length);
    expect(new Set(events.map((e) => `${e.topic}/${e.partition}/${e.offset}`)).size).toBe(valid.length);
    expect(new Set(events.map((e) => e.key))).toEqual(new Set(valid.map((e) => e.message.key)));

    // Schema evolution: v1-written records arrive in v2 shape.
    const avroEvent = events.find((e) => e.key === valid.find((v) => v.topic === topics.avro)!.message.key)!;
    expect(avroEvent.fields).toEqual(transaction({ transaction_id: 'v1-0', device_score: null }));
    expect(avroEvent.eventTime).toBe(transaction().event_time);

    // Offsets: committed = end of each partition, and the sink agrees.
    for (const t of Object.values(topics)) {
      const ends = await endOffsets(t);
      expect(await committedOffsets(groupId, t)).toEqual(ends);
    }

    const snap = metrics.snapshot();
    expect(metrics.total('consumed')).toBe(expectations.length);
    expect(metrics.total('valid')).toBe(valid.length);
    expect(metrics.total('invalid')).toBe(invalid.length);
    expect(metrics.total('dlq')).toBe(invalid.length);
    expect(snap.invalid['broken-registry|schema-registry|registry-unavailable']).toBe(5);
    expect(snap.dlq[`registry|${topics.registry}.dead`]).toBe(3);
  });

  it('has every invalid message on its DLQ, unchanged, with the error headers', async () => {
    const dlqTopics: Record<string, string> = {
      [topics.json]: `${topics.json}.dlq`,
      [topics.avro]: `${topics.avro}.dlq`,
      [topics.registry]: `${topics.registry}.dead`,
      [topics.brokenRegistry]: `${topics.brokenRegistry}.dlq`,
    };
    for (const [source, dlq] of Object.entries(dlqTopics)) {
      const expected = expectations.filter((e) => e.topic === source && e.fails);
      const got = await readTopic(dlq, expected.length);
      expect(got, dlq).toHaveLength(expected.length);
      const byKey = new Map(got.map((m) => [m.key!.toString('utf8'), m]));
      const sourceOffsets = new Set<string>();
      for (const e of expected) {
        const m = byKey.get(e.message.key);
        expect(m, `DLQ message for ${e.message.key}`).toBeDefined();
        // Kafka hands back an empty value as empty and a null value as null; bytes are equal.
        if (e.message.value === null) expect(m!.value).toBeNull();
        else expect(Buffer.compare(m!.value!, e.message.value)).toBe(0);
        expect(header(m!.headers, 'trace-id')).toBe((e.message.headers as IHeaders)['trace-id']);
        expect(m!.headers.bin).toEqual((e.message.headers as IHeaders).bin);
        expect(header(m!.headers, 'driftwatch.error.stage')).toBe(e.fails![0]);
        expect(header(m!.headers, 'driftwatch.error.class')).toBe(e.fails![1]);
        expect(header(m!.headers, 'driftwatch.error.topic')).toBe(source);
        const reason = header(m!.headers, 'driftwatch.error.reason')!;
        expect(reason.length).toBeGreaterThan(5);
        expect(reason.length).toBeLessThanOrEqual(1000);
        expect(Number(header(m!.headers, 'driftwatch.error.timestamp'))).toBeGreaterThan(Date.now() - 600_000);
        const partition = Number(header(m!.headers, 'driftwatch.error.partition'));
        const offset = header(m!.headers, 'driftwatch.error.offset')!;
        expect(Number.isInteger(partition) && partition >= 0).toBe(true);
        sourceOffsets.add(`${partition}/${offset}`);
      }
      expect(sourceOffsets.size).toBe(expected.length);
    }
    const broken = await readTopic(`${topics.brokenRegistry}.dlq`, 5);
    expect(header(broken[0]!.headers, 'driftwatch.error.reason')).toBe(
      `schema id 5 could not be fetched from schema registry ${badRegistry.url} after 3 attempts: HTTP 500`,
    );
    expect(badRegistry.hits.get(5)).toBe(3);
    expect(goodRegistry.hits.get(1)).toBe(1);
    expect(goodRegistry.hits.get(2)).toBe(1);
  });

  it('a new consumer in the same group resumes after the committed offsets', async () => {
    const more = Array.from({ length: 7 }, (_, i) => ({ key: `late-${i}`, value: jsonBytes(transaction({ transaction_id: `late-${i}` })) }));
    await produce(topics.json, more);
    const sink2 = new MemorySink();
    const consumer = startConsumer(sink2, new InMemoryIngestMetrics());
    await consumer.start();
    await waitFor('the late events', () => sink2.events().length >= more.length, 60_000);
    // Give a wrongly rewound consumer time to deliver old messages too.
    await new Promise((r) => setTimeout(r, 1500));
    await consumer.stop();
    expect(sink2.events().map((e) => e.key).sort()).toEqual(more.map((m) => m.key).sort());
    expect(await committedOffsets(groupId, topics.json)).toEqual(await endOffsets(topics.json));
  });
});
