import { Kafka, Partitioners, type Consumer, type EachBatchPayload, type KafkaConfig, type Producer, type SASLOptions } from 'kafkajs';
import { ConfigError, errorMessage } from '../errors.js';
import { DEFAULT_CHUNK_SIZE, processBatch, type ChunkDecision } from './batch.js';
import { kafkaLogCreator, KafkaLogLevels, stderrIngestLogger, type IngestLogger, type KafkaLogLevelName } from './logger.js';
import { noopIngestMetrics, type IngestMetrics } from './metrics.js';
import { createStreamProcessor, type StreamOptions, type StreamProcessor } from './stream.js';
import type { EventSink, PartitionBatch } from './types.js';
import { PartitionWriteQueue } from './write-queue.js';

export interface IngestConsumerOptions {
  readonly brokers: readonly string[];
  /** Default "driftwatch". */
  readonly clientId?: string;
  readonly groupId: string;
  readonly streams: readonly StreamOptions[];
  /** Where to start when neither the sink nor Kafka has an offset. Default false (latest). */
  readonly fromBeginning?: boolean;
  /** Passed to kafkajs unchanged. */
  readonly ssl?: KafkaConfig['ssl'];
  readonly sasl?: SASLOptions;
  readonly logger?: IngestLogger;
  /** kafkajs' own log level, routed to `logger`. Default "warn". */
  readonly kafkaLogLevel?: KafkaLogLevelName;
  /** Relative schema paths resolve against this. Default process.cwd(). */
  readonly baseDir?: string;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Broker long-poll; also bounds how long stop() waits for a fetch. Default 1000 ms. */
  readonly maxWaitTimeMs?: number;
  /** Default 4 MiB; a single larger message is still fetched whole. */
  readonly maxBytesPerPartition?: number;
  readonly partitionsConsumedConcurrently?: number;
  /** Messages decoded between heartbeat/isRunning checks. */
  readonly chunkSize?: number;
  /** Sink writes pending per partition before its fetches pause. Default 2. */
  readonly maxInFlightWrites?: number;
  /** Backoff for restarting after a crash or a failed sink write. Defaults 1 s → 30 s. */
  readonly restartBackoffMs?: { readonly initial?: number; readonly max?: number };
}

export interface IngestConsumer {
  /** Connects the DLQ producer and the consumer and starts consuming. */
  start(): Promise<void>;
  /** Finishes the batch in hand, waits for its sink write and commit, leaves the group. */
  stop(): Promise<void>;
  /** Resolves after the next group join has sought every partition to the sink's offsets. */
  joined(): Promise<void>;
  /** Current assignment: topic → partitions. */
  assignment(): Readonly<Record<string, readonly number[]>>;
}

type State = 'idle' | 'running' | 'stopping' | 'stopped';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The kafkajs adapter. Per batch: decode+validate → DLQ (awaited, acks=all) → sink write
 * → commit lastOffset+1. Sink writes run per partition in order behind the fetch loop
 * (see write-queue.ts); on join every partition is sought to the sink's stored offset.
 */
class KafkaIngestConsumer implements IngestConsumer {
  private readonly processors = new Map<string, StreamProcessor>();
  private readonly kafka: Kafka;
  private readonly log: IngestLogger;
  private readonly writes = new PartitionWriteQueue();
  private readonly heartbeatMs: number;
  private readonly chunkSize: number;
  private readonly maxInFlight: number;
  private producer: Producer | undefined;
  private consumer: Consumer | undefined;
  private state: State = 'idle';
  /** Bumped on every (re)start: work from an older consumer instance is dropped. */
  private incarnation = 0;
  private restarting: Promise<void> | undefined;
  private restartAttempts = 0;
  private restartRequested: string | undefined;
  private wakeSleeper: (() => void) | undefined;
  private joinReady: Promise<void> = Promise.resolve();
  private joinWaiters: Array<() => void> = [];
  private floors = new Map<string, bigint>();
  private assigned: Record<string, readonly number[]> = {};
  private activeBatches = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: IngestConsumerOptions,
    private readonly sink: EventSink,
    private readonly metrics: IngestMetrics,
  ) {
    if (options.streams.length === 0) throw new ConfigError('ingest: no streams configured');
    for (const s of options.streams) {
      if (this.processors.has(s.topic)) throw new ConfigError(`ingest: topic ${s.topic} is used by two streams`);
      this.processors.set(s.topic, createStreamProcessor(s, options.baseDir));
    }
    this.log = options.logger ?? stderrIngestLogger;
    this.heartbeatMs = options.heartbeatIntervalMs ?? 3000;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.maxInFlight = Math.max(1, options.maxInFlightWrites ?? 2);
    this.kafka = new Kafka({
      brokers: [...options.brokers],
      clientId: options.clientId ?? 'driftwatch',
      ssl: options.ssl,
      sasl: options.sasl,
      logLevel: KafkaLogLevels[options.kafkaLogLevel ?? 'warn'],
      logCreator: kafkaLogCreator(this.log),
    });
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new ConfigError(`ingest consumer cannot start: it is ${this.state}`);
    this.state = 'running';
    // Idempotent + acks=-1: a DLQ message is neither lost nor duplicated by producer retries.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    await this.startConsumer();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'idle') {
      this.state = 'stopped';
      return;
    }
    if (this.state === 'stopping') return;
    this.state = 'stopping';
    this.wakeSleeper?.();
    if (this.restarting) await this.restarting;
    // Batches in hand stop at the next chunk, hand their prefix to the write queue…
    await this.batchesIdle();
    // …whose writes and commits finish while we are still a group member.
    await this.writes.drain();
    try {
      await this.consumer?.disconnect();
    } catch (err) {
      this.log.warn('ingest: consumer disconnect failed', { error: errorMessage(err) });
    }
    try {
      await this.producer?.disconnect();
    } catch (err) {
      this.log.warn('ingest: DLQ producer disconnect failed', { error: errorMessage(err) });
    }
    this.state = 'stopped';
    this.log.info('ingest: stopped', { groupId: this.options.groupId });
  }

  joined(): Promise<void> {
    return new Promise((resolve) => this.joinWaiters.push(resolve));
  }

  assignment(): Readonly<Record<string, readonly number[]>> {
    return this.assigned;
  }

  private async startConsumer(): Promise<void> {
    const inc = ++this.incarnation;
    const o = this.options;
    const consumer = this.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.heartbeatMs,
      maxWaitTimeInMs: o.maxWaitTimeMs ?? 1000,
      maxBytesPerPartition: o.maxBytesPerPartition ?? 4 * 1024 * 1024,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => this.onGroupJoin(consumer, inc, e.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (e) => this.onCrash(inc, e.payload.error, e.payload.restart));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.processors.keys()], fromBeginning: o.fromBeginning ?? false });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload, inc),
    });
  }

  /** The sink, not Kafka, knows what is durable: seek there before the first batch is handled. */
  private onGroupJoin(consumer: Consumer, inc: number, assignment: Readonly<Record<string, number[]>>): void {
    if (inc !== this.incarnation) return;
    this.assigned = assignment;
    const ready = (async () => {
      // Writes queued before the rebalance decide the stored offsets: let them land first.
      await this.writes.drain();
      const floors = new Map<string, bigint>();
      const seeks: string[] = [];
      for (const [topic, partitions] of Object.entries(assignment)) {
        if (!this.processors.has(topic)) continue;
        const stored = await this.sink.storedOffsets(topic);
        for (const partition of partitions) {
          const offset = stored.get(partition);
          if (offset === undefined) continue;
          floors.set(`${topic}|${partition}`, BigInt(offset));
          consumer.seek({ topic, partition, offset });
          seeks.push(`${topic}/${partition}@${offset}`);
        }
      }
      if (inc !== this.incarnation) return;
      this.floors = floors;
      this.log.info('ingest: joined group', { groupId: this.options.groupId, assignment, seeks });
    })();
    this.joinReady = ready.then(
      () => {
        for (const w of this.joinWaiters.splice(0)) w();
      },
      (err: unknown) => {
        this.scheduleRestart(`reading stored offsets from the sink failed: ${errorMessage(err)}`, inc);
      },
    );
  }

  private onCrash(inc: number, error: Error, kafkajsRestarts: boolean): void {
    if (kafkajsRestarts) {
      this.log.warn('ingest: consumer crashed, kafkajs restarts it', { error: errorMessage(error) });
      return;
    }
    this.scheduleRestart(`consumer crashed: ${errorMessage(error)}`, inc);
  }

  /** Drops the current consumer instance and starts a new one after a bounded backoff. */
  private scheduleRestart(reason: string, inc: number): void {
    if (this.state !== 'running' || inc !== this.incarnation) return;
    if (this.restarting) {
      // E.g. the new consumer crashed while joining, inside our own restart: go again after it.
      this.restartRequested = reason;
      return;
    }
    this.restartRequested = undefined;
    this.incarnation++;
    const initial = this.options.restartBackoffMs?.initial ?? 1000;
    const max = this.options.restartBackoffMs?.max ?? 30_000;
    const delay = Math.min(max, initial * 2 ** this.restartAttempts++);
    this.log.error('ingest: restarting consumer', { reason, delayMs: delay, attempt: this.restartAttempts });
    const old = this.consumer;
    const restart = (async () => {
      try {
        await old?.disconnect();
      } catch (err) {
        this.log.warn('ingest: disconnect before restart failed', { error: errorMessage(err) });
      }
      await this.writes.drain();
      await new Promise<void>((resolve) => {
        this.wakeSleeper = resolve;
        void sleep(delay).then(resolve);
      });
      this.wakeSleeper = undefined;
      if (this.state !== 'running') return;
      try {
        await this.startConsumer();
        return;
      } catch (err) {
        return `restart failed: ${errorMessage(err)}`;
      }
    })().then((failed) => {
      if (this.restarting === restart) this.restarting = undefined;
      const again = failed ?? this.restartRequested;
      if (again !== undefined) this.scheduleRestart(again, this.incarnation);
    });
    this.restarting = restart;
  }

  private async eachBatch(payload: EachBatchPayload, inc: number): Promise<void> {
    this.activeBatches++;
    try {
      await this.handleBatch(payload, inc);
    } finally {
      if (--this.activeBatches === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private batchesIdle(): Promise<void> {
    if (this.activeBatches === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private current(payload: EachBatchPayload, inc: number): boolean {
    return inc === this.incarnation && !payload.isStale();
  }

  private async handleBatch(payload: EachBatchPayload, inc: number): Promise<void> {
    const { batch } = payload;
    if (this.state !== 'running' || inc !== this.incarnation) return;
    await this.joinReady;
    if (this.state !== 'running' || !this.current(payload, inc)) return;
    const processor = this.processors.get(batch.topic);
    if (!processor) return;
    const { topic, partition } = batch;
    const key = `${topic}|${partition}`;

    // Belt and braces for the join-time seek: never hand the sink what it already has.
    let messages = batch.messages;
    const floor = this.floors.get(key);
    if (floor !== undefined && messages.length > 0 && BigInt(messages[0]!.offset) < floor) {
      messages = messages.filter((m) => BigInt(m.offset) >= floor);
    }
    if (messages.length === 0) {
      payload.resolveOffset(batch.lastOffset());
      return;
    }
    this.metrics.consumed(processor.name, topic, partition, messages.length);

    await this.keepAlive(payload, () => processor.prepare(messages.map((m) => m.value)));
    if (!this.current(payload, inc)) return;

    let lastBeat = Date.now();
    const between = async (): Promise<ChunkDecision> => {
      if (!this.current(payload, inc)) return 'abandon';
      if (Date.now() - lastBeat >= this.heartbeatMs) {
        await payload.heartbeat();
        lastBeat = Date.now();
      }
      return this.state !== 'running' || !payload.isRunning() ? 'truncate' : 'continue';
    };
    const result = await processBatch(processor, partition, messages, between, this.chunkSize);
    if (!result || result.lastOffset === undefined) return;

    if (result.dead.length > 0) {
      const producer = this.producer!;
      await this.keepAlive(payload, () =>
        producer.send({ topic: processor.dlqTopic, acks: -1, messages: result.dead }),
      );
      this.metrics.dlq(processor.name, processor.dlqTopic, result.dead.length);
    }
    for (const c of result.invalid) this.metrics.invalid(processor.name, c.stage, c.reasonClass, c.count);
    this.metrics.valid(processor.name, result.events.length);
    if (!this.current(payload, inc)) return;

    const nextOffset = (BigInt(result.lastOffset) + 1n).toString();
    // Written even when every message was invalid: the sink's offset must move past them.
    const out: PartitionBatch = { topic, partition, events: result.events, nextOffset };
    this.writes.enqueue(key, () => this.writeAndCommit(payload, inc, out));
    payload.resolveOffset(result.lastOffset);
    this.metrics.lag(topic, partition, Math.max(0, Number(batch.highWatermark) - Number(nextOffset)));

    if (this.writes.inFlight(key) >= this.maxInFlight) {
      // The sink is behind: stop fetching this partition until it catches up.
      const resume = payload.pause();
      void this.writes.whenBelow(key, this.maxInFlight).then(() => {
        if (inc === this.incarnation) resume();
      });
    }
  }

  private async writeAndCommit(payload: EachBatchPayload, inc: number, out: PartitionBatch): Promise<void> {
    if (inc !== this.incarnation) return; // restarted: the new consumer re-reads this batch
    const where = `${out.topic}/${out.partition} up to offset ${out.nextOffset}`;
    try {
      await this.sink.write(out);
    } catch (err) {
      this.scheduleRestart(`sink write failed for ${where}: ${errorMessage(err)}`, inc);
      return;
    }
    this.restartAttempts = 0;
    if (!(this.assigned[out.topic] ?? []).includes(out.partition)) return; // the new owner seeks to the sink
    try {
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: out.topic, partitions: [{ partition: out.partition, offset: out.nextOffset }] }],
      });
      this.metrics.committed(out.topic, out.partition, out.nextOffset);
    } catch (err) {
      // The sink already holds the offset and is what we seek to; a lost commit costs nothing.
      this.log.warn('ingest: offset commit failed', { where, error: errorMessage(err) });
    }
  }

  /** Heartbeats while a long await (registry lookups, DLQ produce) runs. */
  private async keepAlive<T>(payload: EachBatchPayload, fn: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      payload.heartbeat().catch(() => undefined);
    }, this.heartbeatMs);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }
}

export function createIngestConsumer(
  options: IngestConsumerOptions,
  sink: EventSink,
  metrics: IngestMetrics = noopIngestMetrics,
): IngestConsumer {
  return new KafkaIngestConsumer(options, sink, metrics);
}
