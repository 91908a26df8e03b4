/**
 * Contracts between the Kafka consumer (transport), the codecs, and the durable sink
 * downstream. The consumer commits a partition's offset only after `EventSink.write`
 * has resolved for every message up to it (and DLQ writes were acknowledged).
 */

/** A validated event, ready for windowing and storage. */
export interface IngestedEvent {
  /** Logical stream name from the config (one stream per topic). */
  readonly stream: string;
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as kafkajs gives it (a decimal string; offsets can exceed 2^53). */
  readonly offset: string;
  /** Event time in epoch milliseconds (from the configured field, else the Kafka timestamp). */
  readonly eventTime: number;
  /** Kafka message timestamp in epoch milliseconds. */
  readonly kafkaTimestamp: number;
  /** Message key as UTF-8, or null. */
  readonly key: string | null;
  /** The decoded, schema-valid payload. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Everything one fetched batch of one partition produced, in offset order. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  /** Valid events of the batch, in offset order. */
  readonly events: readonly IngestedEvent[];
  /** Next offset to consume after this batch (last message's offset + 1), as a decimal string. */
  readonly nextOffset: string;
}

/** A durable downstream stage (DuckDB store + windows). */
export interface EventSink {
  /**
   * Makes the batch durable, together with `nextOffset` for its partition, atomically.
   * Must be idempotent: a batch replayed after a crash (same topic/partition/offsets)
   * must not change the stored result.
   */
  write(batch: PartitionBatch): Promise<void>;
  /**
   * Offsets the sink has made durable: topic → partition → next offset to consume.
   * The consumer seeks here on start and after a rebalance, so the sink, not Kafka's
   * committed offsets, is the source of truth.
   */
  storedOffsets(topic: string): Promise<ReadonlyMap<number, string>>;
}
