import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { createTopic, newKafka, testBrokers, uniqueTopic } from './helpers/kafka.js';

const PARTITIONS = 2;
const PER_PARTITION = 50;
const COMMITTED = 30; // the first consumer commits this many messages per partition

interface Received {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

const toReceived = ({ partition, message }: EachMessagePayload): Received => ({
  partition,
  offset: Number(message.offset),
  key: message.key?.toString('utf8') ?? '',
  value: message.value?.toString('utf8') ?? '',
});

/** What the topic holds: message i of partition p has key k-p-i and value v-p-i at offset i. */
function expected(fromOffset: number): Received[] {
  const out: Received[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    for (let i = fromOffset; i < PER_PARTITION; i++) out.push({ partition: p, offset: i, key: `k-${p}-${i}`, value: `v-${p}-${i}` });
  }
  return out;
}

const byPosition = (a: Received, b: Received): number => a.partition - b.partition || a.offset - b.offset;

/**
 * Runs a consumer in `groupId` until it has `count` messages, then waits `quietMs` more so
 * a message too many would be seen, and disconnects. `onMessage` runs before a message counts.
 */
async function consume(
  kafka: Kafka,
  topic: string,
  groupId: string,
  count: number,
  onMessage: (consumer: Consumer, payload: EachMessagePayload) => Promise<void> = async () => undefined,
  quietMs = 1_500,
): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
  const got: Received[] = [];
  let reached!: () => void;
  const done = new Promise<void>((r) => (reached = r));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async (payload) => {
        await onMessage(consumer, payload);
        got.push(toReceived(payload));
        if (got.length >= count) reached();
      },
    });
    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`group ${groupId}: ${got.length}/${count} messages after 30 s`)), 30_000)),
    ]);
    await new Promise((r) => setTimeout(r, quietMs));
  } finally {
    await consumer.disconnect();
  }
  return got;
}

describe('real Kafka broker', () => {
  const kafka = newKafka('kafka-broker-test');
  const topic = uniqueTopic('broker-test');
  const group = uniqueTopic('broker-test-group');

  it('is provided to workers via inject and via DW_TEST_BROKERS (for child processes)', () => {
    const brokers = testBrokers();
    expect(brokers.length).toBeGreaterThan(0);
    for (const b of brokers) expect(b).toMatch(/^[^\s:]+:\d+$/);
    expect(process.env.DW_TEST_BROKERS).toBe(brokers.join(','));
  });

  it('creates a topic with leaders for every partition', async () => {
    await createTopic(topic, PARTITIONS);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1]);
    } finally {
      await admin.disconnect();
    }
  });

  it('produces N messages and reads them back in a group with manual commits', async () => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      for (let p = 0; p < PARTITIONS; p++) {
        const messages = Array.from({ length: PER_PARTITION }, (_, i) => ({ partition: p, key: `k-${p}-${i}`, value: `v-${p}-${i}` }));
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }

    // Reads everything but commits only the first COMMITTED offsets of each partition.
    const first = await consume(kafka, topic, group, PARTITIONS * PER_PARTITION, async (consumer, { partition, message }) => {
      const offset = Number(message.offset);
      if (offset < COMMITTED) await consumer.commitOffsets([{ topic, partition, offset: String(offset + 1) }]);
    });
    expect(first.sort(byPosition)).toEqual(expected(0));

    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(committed?.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
        [0, String(COMMITTED)],
        [1, String(COMMITTED)],
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('a new consumer in the same group resumes after the committed offsets', async () => {
    const rest = await consume(kafka, topic, group, PARTITIONS * (PER_PARTITION - COMMITTED));
    expect(rest.sort(byPosition)).toEqual(expected(COMMITTED));
  });

  it('another group reads every message from the beginning', async () => {
    const all = await consume(kafka, topic, uniqueTopic('broker-test-other'), PARTITIONS * PER_PARTITION);
    expect(all.sort(byPosition)).toEqual(expected(0));
  });

  it('carries a 5 MB message (message.max.bytes raised to 16 MiB)', async () => {
    const big = uniqueTopic('broker-test-big');
    await createTopic(big, 1);
    const value = Buffer.alloc(5 * 1024 * 1024, 0x61);
    value.write('head', 0);
    value.write('tail', value.length - 4);
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: big, acks: -1, messages: [{ key: 'big', value }] });
    } finally {
      await producer.disconnect();
    }
    const consumer = kafka.consumer({ groupId: uniqueTopic('broker-test-big'), maxWaitTimeInMs: 100 });
    let received: Buffer | null = null;
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: big, fromBeginning: true });
      await new Promise<void>((resolveRun, reject) => {
        const timer = setTimeout(() => reject(new Error('5 MB message not consumed within 30 s')), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            received = message.value;
            clearTimeout(timer);
            resolveRun();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    expect(received).not.toBeNull();
    expect(Buffer.compare(received ?? Buffer.alloc(0), value)).toBe(0);
  });
});

describe('scripts/kafka.sh', () => {
  const script = fileURLToPath(new URL('../../scripts/kafka.sh', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'dw-kafka-sh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> =>
    new Promise((done) => {
      execFile('bash', [script, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
        done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, out: stdout + stderr });
      });
    });

  it('status says stopped with exit code 3 for a dir without a broker', async () => {
    const { code, out } = await run(['status'], { KAFKA_PORT: '19999', KAFKA_DIR: dir });
    expect(code).toBe(3);
    expect(out).toContain('stopped');
  });

  it('status ignores a stale pid file whose process is not our broker', async () => {
    writeFileSync(join(dir, 'kafka.pid'), String(process.pid));
    const { code } = await run(['status'], { KAFKA_PORT: '19999', KAFKA_DIR: dir });
    expect(code).toBe(3);
  });

  it('start refuses a port another process listens on, naming it', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = String((server.address() as AddressInfo).port);
    try {
      const { code, out } = await run(['start'], { KAFKA_PORT: port, KAFKA_DIR: join(dir, 'busy') });
      expect(code).toBe(1);
      expect(out).toContain(`port 127.0.0.1:${port} is already in use`);
    } finally {
      server.close();
    }
  });

  it('rejects an unknown command with usage and exit code 2', async () => {
    const { code, out } = await run(['bogus'], {});
    expect(code).toBe(2);
    expect(out).toContain('usage: scripts/kafka.sh start|stop|status|wait');
  });
});
