import type { SASLOptions } from 'kafkajs';
import type { IngestConsumerOptions } from './consumer.js';
import type { CodecKind } from './codec.js';
import type { ExtraFieldsPolicy } from './json-validator.js';
import type { IngestLogger } from './logger.js';
import type { StreamOptions } from './stream.js';

/**
 * The shape of the loaded driftwatch.yaml sections the ingest reads (structurally the
 * config module's KafkaConfig and StreamConfig; declared here so ingest does not depend
 * on the config module).
 */
export interface KafkaConfigLike {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  readonly ssl?: boolean | Readonly<Record<string, unknown>>;
  readonly sasl?: Readonly<Record<string, unknown>>;
}

export interface StreamConfigLike {
  readonly name: string;
  readonly topic: string;
  readonly encoding: CodecKind;
  readonly schema?: string;
  readonly readerSchema?: string;
  readonly registry?: { readonly url: string; readonly timeoutMs?: number };
  readonly schemaIds?: Readonly<Record<string, string>>;
  readonly eventTimeField?: string;
  readonly dlqTopic?: string;
  readonly extraFields?: ExtraFieldsPolicy;
}

export function streamOptionsFromConfig(s: StreamConfigLike): StreamOptions {
  return {
    name: s.name,
    topic: s.topic,
    codec: s.encoding,
    schema: s.schema,
    readerSchema: s.readerSchema,
    registry: s.registry ? { url: s.registry.url, timeoutMs: s.registry.timeoutMs } : undefined,
    schemaIds: s.schemaIds,
    eventTimeField: s.eventTimeField,
    dlqTopic: s.dlqTopic,
    extraFields: s.extraFields,
  };
}

export function ingestOptionsFromConfig(
  kafka: KafkaConfigLike,
  streams: readonly StreamConfigLike[],
  extra: { readonly logger?: IngestLogger; readonly baseDir?: string } = {},
): IngestConsumerOptions {
  return {
    brokers: kafka.brokers,
    clientId: kafka.clientId,
    groupId: kafka.groupId,
    fromBeginning: kafka.fromBeginning,
    // Passed through unchanged: the config validated the shape kafkajs expects.
    ssl: kafka.ssl as IngestConsumerOptions['ssl'],
    sasl: kafka.sasl as SASLOptions | undefined,
    streams: streams.map(streamOptionsFromConfig),
    logger: extra.logger,
    baseDir: extra.baseDir,
  };
}
