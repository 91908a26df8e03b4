/**
 * Ingest throughput: decode + validate per core (no Kafka) for JSON and Avro, and,
 * when brokers are given, end-to-end consumption through the real consumer.
 *
 *   npx tsx bench/ingest.ts [--events 1000000] [--brokers 127.0.0.1:19092]
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { loadAvroSchemaFile } from '../src/ingest/avro-codec.js';
import { createIngestConsumer } from '../src/ingest/consumer.js';
import { createStreamProcessor, type SourceMessage, type StreamOptions } from '../src/ingest/stream.js';
import type { EventSink, PartitionBatch } from '../src/ingest/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const JSON_SCHEMA = resolve(ROOT, 'schemas/transactions.schema.json');
const AVRO_SCHEMA = resolve(ROOT, 'schemas/transactions.avsc');

const MERCHANTS = ['grocery', 'restaurants', 'fuel', 'travel', 'electronics', 'clothing', 'health'];
const COUNTRIES = ['DE', 'FR', 'NL', 'ES', 'IT', 'GB', 'US'];
const CHANNELS = ['pos', 'online', 'atm'];

/** A deterministic 12-field transaction (the demo domain), ~250 bytes as JSON. */
function transaction(i: number): Record<string, unknown> {
  const channel = CHANNELS[i % 3]!;
  return {
    transaction_id: `tx-${i.toString(36)}`,
    customer_id: `c${(i * 7919) % 5000}`,
    amount: Math.round(((i * 37) % 10_000) + 0.5) / 100,
    merchant_category: MERCHANTS[i % MERCHANTS.length]!,
    country: COUNTRIES[(i * 3) % COUNTRIES.length]!,
    channel,
    card_present: channel !== 'online',
    customer_age: 18 + (i % 70),
    account_age_days: (i * 13) % 4000,
    device_score: channel === 'online' ? ((i * 17) % 1000) / 1000 : null,
    hour_of_day: i % 24,
    event_time: 1_700_000_000_000 + i * 1000,
  };
}

function messages(values: Buffer[]): SourceMessage[] {
  return values.map((value, i) => ({ key: null, value, timestamp: String(1_700_000_000_000 + i), offset: String(i) }));
}

/**
 * Processes `total` events cycling over `msgs` (a pool of distinct messages): a consumer
 * holds one fetch in memory, not a million messages, and a million live Buffers would
 * mostly measure the garbage collector walking them.
 */
function measure(label: string, options: StreamOptions, msgs: readonly SourceMessage[], total: number): number {
  const processor = createStreamProcessor(options, ROOT);
  // Warm up the JIT first so the figure is steady state.
  for (let i = 0; i < Math.min(50_000, msgs.length); i++) processor.process(msgs[i]!, 0);
  let valid = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0, j = 0; i < total; i++, j = j + 1 === msgs.length ? 0 : j + 1) if (processor.process(msgs[j]!, 0).ok) valid++;
  const cpu = process.cpuUsage(c0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (valid !== total) throw new Error(`${label}: only ${valid}/${total} valid`);
  // CPU time, not wall time: "per core" is what the process burns, whatever else runs.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = total / cpuSeconds;
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  console.log(
    `${label.padEnd(28)} ${total} events: ${fmt(rate)} events/s per CPU-second (${cpuSeconds.toFixed(2)} s CPU, ${fmt(total / seconds)}/s wall)`,
  );
  return rate;
}

async function endToEnd(brokers: string[], n: number): Promise<void> {
  const kafka = new Kafka({ brokers, clientId: 'driftwatch-bench', logLevel: logLevel.ERROR });
  const topic = `bench-ingest-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
  await admin.disconnect();

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const tp = Date.now();
  const chunk = 10_000;
  for (let i = 0; i < n; i += chunk) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + chunk); j++) batch.push({ value: JSON.stringify(transaction(j)) });
    await producer.send({ topic, messages: batch, acks: 1 });
  }
  await producer.disconnect();
  console.log(`produce (setup)              ${n} messages in ${((Date.now() - tp) / 1000).toFixed(1)} s`);

  let written = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const stored = new Map<number, string>();
  const sink: EventSink = {
    async write(b: PartitionBatch) {
      written += b.events.length;
      stored.set(b.partition, b.nextOffset);
      if (written >= n) done();
    },
    async storedOffsets() {
      return stored;
    },
  };
  const consumer = createIngestConsumer(
    {
      brokers,
      groupId: `${topic}-g`,
      fromBeginning: true,
      streams: [{ name: 'bench', topic, codec: 'json', schema: JSON_SCHEMA, eventTimeField: 'event_time' }],
      maxBytesPerPartition: 8 * 1024 * 1024,
      // A fresh broker answers "coordinator loading" at first; kafkajs retries, no need to print it.
      kafkaLogLevel: 'nothing',
    },
    sink,
  );
  const tc = Date.now();
  await consumer.start();
  await finished;
  const seconds = (Date.now() - tc) / 1000;
  await consumer.stop();
  console.log(`end-to-end consume (json)    ${n} events in ${seconds.toFixed(1)} s = ${Math.round(n / seconds).toLocaleString('en')} events/s (incl. group join)`);
}

export async function runIngestBench(opts: { brokers?: string[]; events?: number } = {}): Promise<void> {
  const n = opts.events ?? 1_000_000;
  const records = Array.from({ length: Math.min(n, 100_000) }, (_, i) => transaction(i));
  const jsonMsgs = messages(records.map((r) => Buffer.from(JSON.stringify(r))));
  const avroType = loadAvroSchemaFile(AVRO_SCHEMA);
  const avroMsgs = messages(records.map((r) => avroType.toBuffer(r)));
  const avgJson = jsonMsgs.reduce((s, m) => s + m.value!.length, 0) / jsonMsgs.length;
  const avgAvro = avroMsgs.reduce((s, m) => s + m.value!.length, 0) / avroMsgs.length;
  console.log(
    `ingest bench: ${n} transactions (12 fields, ${records.length} distinct), JSON ≈ ${avgJson.toFixed(0)} B, Avro ≈ ${avgAvro.toFixed(0)} B, one core`,
  );
  measure('json decode only', { name: 'b', topic: 'b', codec: 'json' }, jsonMsgs, n);
  measure('json decode+validate', { name: 'b', topic: 'b', codec: 'json', schema: JSON_SCHEMA, eventTimeField: 'event_time' }, jsonMsgs, n);
  measure('avro decode+check', { name: 'b', topic: 'b', codec: 'avro', schema: AVRO_SCHEMA, eventTimeField: 'event_time' }, avroMsgs, n);
  if (opts.brokers && opts.brokers.length > 0) await endToEnd(opts.brokers, n);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const brokers = arg('--brokers')?.split(',');
  const events = arg('--events');
  await runIngestBench({ brokers, events: events ? Number(events) : undefined });
}
