import { isAbsolute, resolve as resolvePath } from 'node:path';
import { ConfigError } from '../errors.js';
import { createAvroCodec, loadAvroSchemaFile } from './avro-codec.js';
import { CodecKinds, type Codec, type CodecKind } from './codec.js';
import { createConfluentAvroCodec } from './confluent-codec.js';
import { eventTimeFrom, kafkaTimestampMs } from './event-time.js';
import { FailureStages, ReasonClasses, failure, type IngestFailure } from './failure.js';
import { createJsonCodec } from './json-codec.js';
import { createJsonValidator, loadJsonSchemaFile, type ExtraFieldsPolicy, type JsonValidator } from './json-validator.js';
import {
  ChainedSchemaResolver,
  HttpSchemaRegistry,
  LocalSchemaResolver,
  type HttpSchemaRegistryOptions,
  type SchemaResolver,
} from './schema-registry.js';
import type { IngestedEvent } from './types.js';

/** One logical stream: a topic, how its values are encoded, and what they must satisfy. */
export interface StreamOptions {
  readonly name: string;
  readonly topic: string;
  readonly codec: CodecKind;
  /** json: JSON Schema file (optional: without it any JSON object passes); avro: writer .avsc (required). */
  readonly schema?: string;
  /** avro / confluent-avro: reader .avsc that older writer schemas are resolved to. */
  readonly readerSchema?: string;
  /** confluent-avro: schema registry to resolve ids. */
  readonly registry?: HttpSchemaRegistryOptions;
  /** confluent-avro: schema id (decimal string) → local .avsc, tried before the registry. */
  readonly schemaIds?: Readonly<Record<string, string>>;
  /** confluent-avro: any other id source; tried after schemaIds, before registry. */
  readonly schemaResolver?: SchemaResolver;
  /** Field holding the event time; without it the Kafka message timestamp is used. */
  readonly eventTimeField?: string;
  /** Defaults to `<topic>.dlq`. */
  readonly dlqTopic?: string;
  /** json only: overrides the schema root's additionalProperties (see json-validator.ts). */
  readonly extraFields?: ExtraFieldsPolicy;
}

/** The parts of a Kafka message the processor reads (kafkajs `KafkaMessage` fits). */
export interface SourceMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly offset: string;
}

export type ProcessResult = { readonly ok: true; readonly event: IngestedEvent } | IngestFailure;

export interface StreamProcessorParts {
  readonly codec: Codec;
  readonly validator?: JsonValidator;
  readonly eventTimeField?: string;
}

/** Decode → validate → event time for one stream; pure apart from `prepare`. */
export class StreamProcessor {
  readonly name: string;
  readonly topic: string;
  readonly dlqTopic: string;
  private readonly codec: Codec;
  private readonly validator: JsonValidator | undefined;
  private readonly eventTimeField: string | undefined;

  constructor(stream: { name: string; topic: string; dlqTopic?: string }, parts: StreamProcessorParts) {
    this.name = stream.name;
    this.topic = stream.topic;
    this.dlqTopic = stream.dlqTopic ?? `${stream.topic}.dlq`;
    this.codec = parts.codec;
    this.validator = parts.validator;
    this.eventTimeField = parts.eventTimeField;
  }

  /** Resolves what decoding these values needs (schema ids); never rejects. */
  async prepare(values: ReadonlyArray<Buffer | null>): Promise<void> {
    if (this.codec.prepare) await this.codec.prepare(values);
  }

  process(message: SourceMessage, partition: number): ProcessResult {
    const decoded = this.codec.decode(message.value);
    if (!decoded.ok) return decoded;
    const fields = decoded.value;
    if (this.validator) {
      const invalid = this.validator(fields);
      if (invalid) return invalid;
    }
    const kafkaTimestamp = kafkaTimestampMs(message.timestamp);
    let eventTime: number;
    if (this.eventTimeField !== undefined) {
      const t = eventTimeFrom(fields[this.eventTimeField], this.eventTimeField);
      if (typeof t !== 'number') return t;
      eventTime = t;
    } else {
      if (!(kafkaTimestamp >= 0)) {
        return failure(
          FailureStages.validate,
          ReasonClasses.eventTime,
          `Kafka message timestamp ${message.timestamp} is not usable and no event-time field is configured`,
        );
      }
      eventTime = kafkaTimestamp;
    }
    return {
      ok: true,
      event: {
        stream: this.name,
        topic: this.topic,
        partition,
        offset: message.offset,
        eventTime,
        kafkaTimestamp,
        key: message.key === null ? null : message.key.toString('utf8'),
        fields,
      },
    };
  }
}

/** Builds a processor from options, loading schema files relative to `baseDir`. Throws ConfigError. */
export function createStreamProcessor(options: StreamOptions, baseDir = process.cwd()): StreamProcessor {
  const where = `stream "${options.name}" (topic ${options.topic})`;
  const file = (p: string) => (isAbsolute(p) ? p : resolvePath(baseDir, p));
  try {
    return new StreamProcessor(options, { ...buildParts(options, file, where), eventTimeField: options.eventTimeField });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`${where}: ${message}`, { cause: err, details: { stream: options.name, topic: options.topic } });
  }
}

function buildParts(options: StreamOptions, file: (p: string) => string, where: string): Omit<StreamProcessorParts, 'eventTimeField'> {
  switch (options.codec) {
    case CodecKinds.json: {
      if (options.schema === undefined) return { codec: createJsonCodec() };
      const path = file(options.schema);
      const validator = createJsonValidator(loadJsonSchemaFile(path), { extraFields: options.extraFields, name: path });
      return { codec: createJsonCodec(), validator };
    }
    case CodecKinds.avro: {
      if (options.schema === undefined) throw new ConfigError(`${where}: codec avro needs "schema" (the writer .avsc)`);
      const writerPath = file(options.schema);
      const writer = loadAvroSchemaFile(writerPath);
      const reader = options.readerSchema === undefined ? undefined : loadAvroSchemaFile(file(options.readerSchema));
      return { codec: createAvroCodec({ writer, reader, name: `writer schema ${options.schema}` }) };
    }
    case CodecKinds.confluentAvro: {
      const sources: SchemaResolver[] = [];
      if (options.schemaIds && Object.keys(options.schemaIds).length > 0) {
        const ids = Object.fromEntries(Object.entries(options.schemaIds).map(([id, p]) => [id, file(p)]));
        sources.push(new LocalSchemaResolver(ids));
      }
      if (options.schemaResolver) sources.push(options.schemaResolver);
      if (options.registry) sources.push(new HttpSchemaRegistry(options.registry));
      if (sources.length === 0) {
        throw new ConfigError(`${where}: codec confluent-avro needs "registry" or "schemaIds"`);
      }
      const resolver = sources.length === 1 ? sources[0]! : new ChainedSchemaResolver(sources);
      const readerPath = options.readerSchema ?? options.schema;
      const reader = readerPath === undefined ? undefined : loadAvroSchemaFile(file(readerPath));
      return { codec: createConfluentAvroCodec({ resolver, reader }) };
    }
    default:
      throw new ConfigError(`${where}: unknown codec ${String(options.codec)} (expected json, avro or confluent-avro)`);
  }
}
