import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { newKafka } from '../../helpers/kafka.js';

/** Sends in chunks of `perSend`: each send becomes a record batch, which bounds fetch sizes. */
export async function produce(topic: string, messages: Message[], perSend = 500): Promise<void> {
  const producer = newKafka('ingest-test-producer').producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += perSend) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + perSend) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

/** Reads `topic` from the beginning until `count` messages arrived (or times out). */
export async function readTopic(topic: string, count: number, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const consumer = newKafka('ingest-test-reader').consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 200 });
  const out: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
        out.push({ partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} });
        if (out.length >= count) done();
      },
    });
    if (count > 0) await Promise.race([finished, new Promise((r) => setTimeout(r, timeoutMs))]);
    else await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** Latest offsets per partition (the next offset a producer would get). */
export async function endOffsets(topic: string): Promise<Map<number, string>> {
  const admin = newKafka('ingest-test-admin').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, o.high]));
  } finally {
    await admin.disconnect();
  }
}

/** Committed offsets of a group for a topic (-1 when none). */
export async function committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = newKafka('ingest-test-admin').admin();
  await admin.connect();
  try {
    const [res] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((res?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const header = (h: IHeaders, name: string): string | undefined => {
  const v = h[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? String(v[0]) : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
};
