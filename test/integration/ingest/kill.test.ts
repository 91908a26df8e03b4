import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createIngestConsumer, type IngestConsumer } from '../../../src/ingest/consumer.js';
import type { EventSink } from '../../../src/ingest/types.js';
import { JSON_SCHEMA, ROOT, jsonBytes, transaction } from '../../ingest/fixtures.js';
import { createTopic, testBrokers, uniqueTopic } from '../helpers/kafka.js';
import type { ChildConfig } from './support/child-consumer.js';
import { committedOffsets, endOffsets, produce, waitFor } from './support/kafka-io.js';
import { FileSink, SlowAppendSink, readAppendSink, readFileSink } from './support/sinks.js';

const CHILD = resolve(fileURLToPath(import.meta.url), '../support/child-consumer.ts');
const dir = mkdtempSync(join(tmpdir(), 'dw-ingest-kill-'));
const quiet = { info() {}, warn() {}, error() {} };
let child: ChildProcess | undefined;
let consumerB: IngestConsumer | undefined;

afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await consumerB?.stop();
  consumerB = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function topicWith(messages: number): Promise<string> {
  const topic = uniqueTopic('ingest-kill');
  await createTopic(topic, 2);
  await produce(
    topic,
    Array.from({ length: messages }, (_, i) => ({ key: `k${i}`, value: jsonBytes(transaction({ transaction_id: `t${i}` })) })),
    // Small record batches (~10 messages per partition), so fetches stay small.
    20,
  );
  return topic;
}

/** Starts the child consumer and resolves once it has joined its group. */
async function startChild(config: ChildConfig): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolveJoin, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('joined')) resolveJoin();
    });
    proc.on('exit', (code) => reject(new Error(`child exited with ${code} before joining: ${stderr}`)));
  });
  return proc;
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((r) => {
    proc.once('exit', () => r());
    proc.kill('SIGKILL');
  });
}

function consumer(groupId: string, topic: string, sink: EventSink): IngestConsumer {
  return createIngestConsumer(
    {
      brokers: testBrokers(),
      groupId,
      fromBeginning: true,
      streams: [{ name: 'kill', topic, codec: 'json', schema: JSON_SCHEMA, eventTimeField: 'event_time' }],
      logger: quiet,
      kafkaLogLevel: 'nothing',
      maxBytesPerPartition: 4096,
    },
    sink,
  );
}

const asStart = (committed: string | undefined) => (committed === undefined || committed === '-1' ? 0n : BigInt(committed));

describe('SIGKILL mid-batch', () => {
  it('loses nothing; duplicates come only from the uncommitted tail', async () => {
    const topic = await topicWith(400);
    const groupId = uniqueTopic('kill-group');
    const path = join(dir, 'append.jsonl');
    child = await startChild({
      brokers: testBrokers(),
      groupId,
      topic,
      schema: JSON_SCHEMA,
      sink: { kind: 'append', path, delayPerEventMs: 5 },
      maxBytesPerPartition: 4096,
    });
    await waitFor('the child to write some events', () => readAppendSink(path).length >= 80, 30_000);
    await kill(child);
    child = undefined;
    const committed = await committedOffsets(groupId, topic);
    const fromA = readAppendSink(path);

    consumerB = consumer(groupId, topic, new SlowAppendSink(path, 'B', 0));
    await consumerB.start();
    const ends = await endOffsets(topic);
    const covered = () => {
      const seen = new Set(readAppendSink(path).map((l) => `${l.partition}/${l.offset}`));
      return [...ends].every(([p, end]) => Array.from({ length: Number(end) }, (_, o) => `${p}/${o}`).every((k) => seen.has(k)));
    };
    await waitFor('consumer B to cover every offset', covered, 45_000);
    await consumerB.stop();
    consumerB = undefined;

    const fromB = readAppendSink(path).filter((l) => l.writer === 'B');
    let duplicates = 0;
    for (const [p, end] of ends) {
      const start = asStart(committed.get(p));
      const a = fromA.filter((l) => l.partition === p).map((l) => BigInt(l.offset));
      const b = fromB.filter((l) => l.partition === p).map((l) => BigInt(l.offset));
      // B resumes exactly at A's last commit and reads to the end, each offset once.
      expect(b).toEqual(Array.from({ length: Number(BigInt(end) - start) }, (_, i) => start + BigInt(i)));
      // A wrote everything below its commit exactly once…
      const aCommitted = a.filter((o) => o < start);
      expect(aCommitted).toEqual(Array.from({ length: Number(start) }, (_, i) => BigInt(i)));
      // …and the duplicates are exactly A's writes at or past the commit: the uncommitted tail.
      const bSet = new Set(b);
      const dup = a.filter((o) => bSet.has(o));
      expect(dup).toEqual(a.filter((o) => o >= start));
      duplicates += dup.length;
    }
    // The kill landed mid-batch (slow writes), so there is a tail: at most the batches in
    // hand, i.e. two 4 KB fetches (~15 messages each) per partition.
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(2 * 2 * 20);
  });

  it('with a crash-safe sink whose stored offsets drive the seek: zero duplicates', async () => {
    const topic = await topicWith(400);
    const groupId = uniqueTopic('kill-safe-group');
    const path = join(dir, 'safe.jsonl');
    child = await startChild({
      brokers: testBrokers(),
      groupId,
      topic,
      schema: JSON_SCHEMA,
      sink: { kind: 'file', path, holdAfterWriteMs: 300 },
      maxBytesPerPartition: 4096,
    });
    await waitFor('the child to write some batches', () => readFileSink(path).length >= 3, 30_000);
    // Kill right after a batch became durable, while its commit is still pending.
    const lines = readFileSink(path).length;
    await waitFor('one more durable batch', () => readFileSink(path).length > lines, 10_000);
    await kill(child);
    child = undefined;

    const committed = await committedOffsets(groupId, topic);
    const safe = new FileSink(path, 'B');
    const stored = await safe.storedOffsets(topic);
    // The sink is ahead of Kafka for at least one partition: only the seek prevents duplicates.
    expect([...stored].some(([p, next]) => BigInt(next) > asStart(committed.get(p)))).toBe(true);

    consumerB = consumer(groupId, topic, safe);
    await consumerB.start();
    const ends = await endOffsets(topic);
    await waitFor(
      'the sink to reach the end of both partitions',
      async () => {
        const s = await safe.storedOffsets(topic);
        return [...ends].every(([p, end]) => s.get(p) === end);
      },
      45_000,
    );
    await consumerB.stop();
    consumerB = undefined;

    const all = readFileSink(path).flatMap((l) => l.offsets.map((o) => `${l.partition}/${o}`));
    expect(all.length).toBe(new Set(all).size);
    expect(all.length).toBe([...ends.values()].reduce((s, e) => s + Number(e), 0));
    expect(readFileSink(path).some((l) => l.writer === 'B')).toBe(true);
  });
});
