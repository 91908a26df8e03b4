/** Public surface of the ingest module. */
export type { EventSink, IngestedEvent, PartitionBatch } from './types.js';
export { createIngestConsumer, type IngestConsumer, type IngestConsumerOptions } from './consumer.js';
export { createStreamProcessor, StreamProcessor, type ProcessResult, type SourceMessage, type StreamOptions } from './stream.js';
export { CodecKinds, decode, decodeOne, type Codec, type CodecKind, type DecodeResult, type DecodedRecord } from './codec.js';
export { createJsonCodec, decodeJson } from './json-codec.js';
export { createAvroCodec, loadAvroSchemaFile, parseAvroSchema, avroTypeFromSchema, type AvroCodecOptions } from './avro-codec.js';
export { createConfluentAvroCodec, frameConfluent, confluentSchemaId, type ConfluentAvroCodecOptions } from './confluent-codec.js';
export {
  HttpSchemaRegistry,
  LocalSchemaResolver,
  ChainedSchemaResolver,
  type SchemaResolver,
  type HttpSchemaRegistryOptions,
} from './schema-registry.js';
export { createJsonValidator, loadJsonSchemaFile, ExtraFieldsPolicies, type ExtraFieldsPolicy, type JsonValidator } from './json-validator.js';
export { eventTimeFrom } from './event-time.js';
export { DlqHeaderNames, dlqHeaders, dlqMessage, type DlqMessage } from './dlq.js';
export { FailureStages, ReasonClasses, type FailureStage, type ReasonClass, type IngestFailure } from './failure.js';
export { InMemoryIngestMetrics, noopIngestMetrics, type IngestMetrics, type IngestMetricsSnapshot } from './metrics.js';
export { stderrIngestLogger, type IngestLogger, type KafkaLogLevelName } from './logger.js';
export { ingestOptionsFromConfig, streamOptionsFromConfig, type KafkaConfigLike, type StreamConfigLike } from './from-config.js';
