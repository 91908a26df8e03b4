/**
 * The demo's own Kafka traffic: its topics (a fresh set per run, earlier runs' sets removed),
 * the transaction stream it produces, and what it reads back (DLQ size, retrain events).
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { RetrainEvent } from '../retrain/types.js';
import type { DemoMessage, MessageKind } from './stream.js';

export const DEMO_TOPIC_PREFIX = 'driftwatch-demo-';

export interface DemoTopics {
  readonly transactions: string;
  readonly dlq: string;
  readonly retrain: string;
}

export function demoTopics(runId: string): DemoTopics {
  const transactions = `${DEMO_TOPIC_PREFIX}${runId}.transactions`;
  return { transactions, dlq: `${transactions}.dlq`, retrain: `${DEMO_TOPIC_PREFIX}${runId}.retrain` };
}

export function demoKafka(brokers: readonly string[]): Kafka {
  return new Kafka({ clientId: 'driftwatch-demo', brokers: [...brokers], logLevel: logLevel.ERROR, retry: { retries: 8, initialRetryTime: 200 } });
}

async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates this run's topics, then deletes earlier demo runs' ones (best effort, with a
 * separate admin: kafkajs keeps deleted topics in its metadata cache and would trip over
 * them while waiting for the new topics' leaders). Returns how many were deleted.
 */
export async function prepareTopics(kafka: Kafka, topics: DemoTopics, partitions: number): Promise<number> {
  const mine = new Set(Object.values(topics));
  const old = await withAdmin(kafka, async (admin) => {
    const existing = await admin.listTopics();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: topics.transactions, numPartitions: partitions, replicationFactor: 1 },
        { topic: topics.dlq, numPartitions: 1, replicationFactor: 1 },
        { topic: topics.retrain, numPartitions: 1, replicationFactor: 1 },
      ],
    });
    return existing.filter((t) => t.startsWith(DEMO_TOPIC_PREFIX) && !mine.has(t));
  });
  if (old.length === 0) return 0;
  return withAdmin(kafka, (admin) => admin.deleteTopics({ topics: old, timeout: 10_000 }).then(() => old.length)).catch(() => 0);
}

export type SentCounts = Record<MessageKind, number>;

/** Produces `messages` in order, in batches; `onSent` after each batch with the running total. */
export async function produceMessages(
  kafka: Kafka,
  topic: string,
  messages: Iterable<DemoMessage>,
  onSent?: (sent: number) => void,
  batchSize = 2_000,
): Promise<Partial<SentCounts>> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const counts: Partial<SentCounts> = {};
  let sent = 0;
  let batch: Array<{ key: string | null; value: Buffer | null }> = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await producer.send({ topic, acks: -1, messages: batch });
    sent += batch.length;
    batch = [];
    onSent?.(sent);
  };
  try {
    for (const m of messages) {
      counts[m.kind] = (counts[m.kind] ?? 0) + 1;
      batch.push({ key: m.key, value: m.value });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  return counts;
}

/** Messages in a topic: the sum of its partitions' high watermarks (nothing is deleted in the demo). */
export async function topicSize(kafka: Kafka, topic: string): Promise<number> {
  return withAdmin(kafka, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  });
}

/** Every retrain event on `topic`, read with a throwaway consumer group. */
export async function readRetrainEvents(kafka: Kafka, topic: string, timeoutMs = 20_000): Promise<RetrainEvent[]> {
  const expected = await topicSize(kafka, topic);
  if (expected === 0) return [];
  const consumer = kafka.consumer({ groupId: `${topic}-demo-reader-${Date.now().toString(36)}`, maxWaitTimeInMs: 200 });
  const events: RetrainEvent[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value !== null) events.push(JSON.parse(message.value.toString('utf8')) as RetrainEvent);
        if (events.length >= expected) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
  }
  return events;
}
