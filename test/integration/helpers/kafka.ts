/**
 * Helpers for tests that talk to the real Kafka broker of the `integration` project
 * (started or found by test/setup/kafka-global.ts).
 *
 *   const topic = uniqueTopic('ingest');
 *   await createTopic(topic, 3);
 *   const producer = newKafka('my-test').producer();
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';
import type {} from '../../setup/kafka-global.js';

/** Bootstrap brokers of the test cluster, e.g. ["127.0.0.1:19092"]. */
export function testBrokers(): string[] {
  const brokers = inject('kafkaBrokers');
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw new Error('no test Kafka brokers: run this file in the vitest "integration" project (its globalSetup provides them)');
  }
  return brokers;
}

/**
 * A topic name no other test (or earlier run against the same broker) has used:
 * `<prefix>-<time>-<random>`, limited to Kafka's legal characters.
 */
export function uniqueTopic(prefix: string): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 100) || 'topic';
  return `${safe}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A kafkajs client for the test cluster; quiet unless something is an error. */
export function newKafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: testBrokers(),
    logLevel: logLevel.ERROR,
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

/**
 * Creates `name` with `partitions` partitions (replication factor 1) and returns once every
 * partition has a leader, so producers and consumers can use it at once. `configs` are topic
 * configs such as { 'retention.ms': '60000' }. Fails if the topic exists with another
 * partition count.
 */
export async function createTopic(name: string, partitions: number, configs: Readonly<Record<string, string>> = {}): Promise<void> {
  const admin = newKafka('driftwatch-test-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: name,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(configs).map(([configName, value]) => ({ name: configName, value })),
        },
      ],
    });
    const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
    const meta = topics[0]?.partitions ?? [];
    const led = meta.filter((p) => p.leader >= 0).length;
    if (meta.length !== partitions || led !== partitions) {
      throw new Error(`topic ${name}: wanted ${partitions} partitions with leaders, broker reports ${meta.length} (${led} with a leader)`);
    }
  } finally {
    await admin.disconnect();
  }
}
