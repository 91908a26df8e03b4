import type { Resolver, Type } from 'avsc';
import { errorMessage } from '../errors.js';
import { AvroReader, parseAvroSchema } from './avro-codec.js';
import { CodecKinds, type Codec, type DecodeResult } from './codec.js';
import { FailureStages, ReasonClasses, failure, type IngestFailure } from './failure.js';
import { reasonClassOf, type SchemaResolver } from './schema-registry.js';

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro body. */
export const CONFLUENT_MAGIC = 0;
export const CONFLUENT_HEADER_BYTES = 5;

export function frameConfluent(schemaId: number, avroBody: Buffer): Buffer {
  const out = Buffer.allocUnsafe(CONFLUENT_HEADER_BYTES + avroBody.length);
  out[0] = CONFLUENT_MAGIC;
  out.writeUInt32BE(schemaId, 1);
  avroBody.copy(out, CONFLUENT_HEADER_BYTES);
  return out;
}

/** The schema id of a well-framed message, else undefined. */
export function confluentSchemaId(bytes: Buffer | null): number | undefined {
  if (bytes === null || bytes.length < CONFLUENT_HEADER_BYTES || bytes[0] !== CONFLUENT_MAGIC) return undefined;
  return bytes.readUInt32BE(1);
}

export interface ConfluentAvroCodecOptions {
  readonly resolver: SchemaResolver;
  /** Reader schema (evolution); without it each message is read with its writer schema. */
  readonly reader?: Type;
}

interface WriterEntry {
  readonly reader: AvroReader;
  readonly resolver: Resolver | undefined;
  readonly what: string;
}

const EMPTY = failure(FailureStages.decode, ReasonClasses.empty, 'message value is empty (null or zero bytes)');

/**
 * Decoding stays synchronous: `prepare` resolves a batch's unknown schema ids first
 * (in parallel); ids that failed stay failed for the rest of that batch, so their
 * messages go to the DLQ with the resolver's reason.
 */
export function createConfluentAvroCodec(options: ConfluentAvroCodecOptions): Codec {
  const shared = options.reader ? new AvroReader(options.reader) : undefined;
  const writers = new Map<number, WriterEntry>();
  let failed = new Map<number, IngestFailure>();

  async function load(id: number): Promise<void> {
    let text: string;
    try {
      text = await options.resolver.resolve(id);
    } catch (err) {
      failed.set(id, failure(FailureStages.schemaRegistry, reasonClassOf(err), errorMessage(err)));
      return;
    }
    const what = `schema id ${id} (${options.resolver.source})`;
    try {
      const writerType = parseAvroSchema(text, what);
      const reader = shared ?? new AvroReader(writerType);
      writers.set(id, { reader, resolver: reader.resolverFor(writerType, what), what });
    } catch (err) {
      failed.set(id, failure(FailureStages.schemaRegistry, ReasonClasses.schemaInvalid, errorMessage(err)));
    }
  }

  return {
    kind: CodecKinds.confluentAvro,
    async prepare(values) {
      failed = new Map();
      const missing = new Set<number>();
      for (const v of values) {
        const id = confluentSchemaId(v);
        if (id !== undefined && !writers.has(id)) missing.add(id);
      }
      await Promise.all([...missing].map(load));
    },
    decode(bytes): DecodeResult {
      if (bytes === null || bytes.length === 0) return EMPTY;
      if (bytes.length < CONFLUENT_HEADER_BYTES) {
        return failure(
          FailureStages.decode,
          ReasonClasses.badFraming,
          `message of ${bytes.length} bytes is shorter than the 5-byte Confluent header (magic byte + schema id)`,
        );
      }
      if (bytes[0] !== CONFLUENT_MAGIC) {
        const magic = bytes[0]!.toString(16).padStart(2, '0');
        return failure(FailureStages.decode, ReasonClasses.badFraming, `Confluent magic byte is 0x${magic}, expected 0x00`);
      }
      const id = bytes.readUInt32BE(1);
      const entry = writers.get(id);
      if (entry) return entry.reader.decodeBody(bytes, CONFLUENT_HEADER_BYTES, entry.resolver, entry.what);
      return (
        failed.get(id) ??
        failure(
          FailureStages.schemaRegistry,
          ReasonClasses.registryUnavailable,
          `schema id ${id} was not resolved before decoding (${options.resolver.source})`,
        )
      );
    },
  };
}
