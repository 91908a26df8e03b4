/**
 * A consumer in its own process, for kill tests:
 *   node --import tsx child-consumer.ts '<json config>'
 * Prints "joined" once it has joined the group; runs until killed (SIGTERM: graceful stop).
 */
import { createIngestConsumer } from '../../../../src/ingest/consumer.js';
import type { EventSink } from '../../../../src/ingest/types.js';
import { FileSink, SlowAppendSink } from './sinks.js';

export interface ChildConfig {
  readonly brokers: string[];
  readonly groupId: string;
  readonly topic: string;
  readonly schema: string;
  readonly sink: { readonly kind: 'file'; readonly path: string; readonly holdAfterWriteMs: number } | { readonly kind: 'append'; readonly path: string; readonly delayPerEventMs: number };
  readonly maxBytesPerPartition: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const sink: EventSink =
  config.sink.kind === 'file'
    ? new FileSink(config.sink.path, 'A', config.sink.holdAfterWriteMs)
    : new SlowAppendSink(config.sink.path, 'A', config.sink.delayPerEventMs);

const consumer = createIngestConsumer(
  {
    brokers: config.brokers,
    clientId: 'ingest-kill-child',
    groupId: config.groupId,
    fromBeginning: true,
    streams: [{ name: 'kill', topic: config.topic, codec: 'json', schema: config.schema, eventTimeField: 'event_time' }],
    // Short session: the group must notice this process is gone soon after SIGKILL.
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 1000,
    maxBytesPerPartition: config.maxBytesPerPartition,
    maxInFlightWrites: 1,
    kafkaLogLevel: 'nothing',
  },
  sink,
);
const joined = consumer.joined();
await consumer.start();
await joined;
process.stdout.write('joined\n');
process.on('SIGTERM', () => {
  void consumer.stop().then(() => process.exit(0));
});
