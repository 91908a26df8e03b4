import { readFileSync } from 'node:fs';
import avro from 'avsc';
import type { Resolver, Schema, Type } from 'avsc';
import { InputError, InputNotFoundError, errorMessage } from '../errors.js';
import { avroLogicalTypes } from './avro-logical.js';
import { AvroValueError, plainConverter, type PlainConverter } from './avro-plain.js';
import { CodecKinds, type Codec, type DecodeResult } from './codec.js';
import { FailureStages, ReasonClasses, failure } from './failure.js';

/** Every Avro type we build: our logical types, unions read as bare values. */
export function avroTypeFromSchema(schema: unknown, where: string): Type {
  try {
    return avro.Type.forSchema(schema as Schema, {
      logicalTypes: avroLogicalTypes,
      wrapUnions: 'never',
      omitRecordMethods: true,
    });
  } catch (err) {
    throw new InputError(`invalid Avro schema in ${where}: ${errorMessage(err)}`, { cause: err, details: { where } });
  }
}

export function parseAvroSchema(text: string, where: string): Type {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    throw new InputError(`Avro schema in ${where} is not JSON: ${errorMessage(err)}`, { cause: err, details: { where } });
  }
  return avroTypeFromSchema(schema, where);
}

export function loadAvroSchemaFile(path: string): Type {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputNotFoundError(`cannot read Avro schema file ${path}: ${errorMessage(err)}`, {
      cause: err,
      details: { file: path },
    });
  }
  return parseAvroSchema(text, path);
}

/**
 * Reader side of Avro decoding: one reader type, its plain-value converter, and a
 * resolver per writer schema (built once: `createResolver` walks both schemas).
 */
export class AvroReader {
  private readonly convert: PlainConverter;
  private readonly resolvers = new Map<Type, Resolver | undefined>();

  constructor(readonly readerType: Type) {
    this.convert = plainConverter(readerType);
  }

  /** Throws InputError when the writer cannot be read as the reader (incompatible evolution). */
  resolverFor(writerType: Type, where: string): Resolver | undefined {
    if (this.resolvers.has(writerType)) return this.resolvers.get(writerType);
    let resolver: Resolver | undefined;
    // Strict: canonical equality ignores logical types, and micros read as millis would be wrong.
    if (writerType !== this.readerType && !strictlyEqual(writerType, this.readerType)) {
      try {
        resolver = this.readerType.createResolver(writerType);
      } catch (err) {
        throw new InputError(`writer schema ${where} cannot be read with the reader schema: ${errorMessage(err)}`, {
          cause: err,
          details: { where },
        });
      }
    }
    this.resolvers.set(writerType, resolver);
    return resolver;
  }

  /** Decodes the Avro body in `bytes[start..]`, which must hold exactly one datum. */
  decodeBody(bytes: Buffer, start: number, resolver: Resolver | undefined, what: string): DecodeResult {
    let decoded: { value: unknown; offset: number };
    try {
      decoded = this.readerType.decode(bytes, start, resolver);
    } catch (err) {
      // avsc throws on invalid union/enum indexes, unsafe longs, …: random bytes land here.
      return failure(FailureStages.decode, ReasonClasses.avroInvalid, `invalid Avro data for ${what}: ${errorMessage(err)}`);
    }
    if (decoded.offset < 0) {
      return failure(
        FailureStages.decode,
        ReasonClasses.avroTruncated,
        `truncated Avro data for ${what}: ${bytes.length - start} bytes do not hold a whole record`,
      );
    }
    if (decoded.offset < bytes.length) {
      return failure(
        FailureStages.decode,
        ReasonClasses.avroTrailing,
        `${bytes.length - decoded.offset} trailing bytes after the Avro record for ${what}`,
      );
    }
    try {
      const value = this.convert(decoded.value, '');
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return failure(FailureStages.decode, ReasonClasses.notObject, `Avro schema ${what} must be a record`);
      }
      return { ok: true, value: value as Record<string, unknown> };
    } catch (err) {
      if (err instanceof AvroValueError) return failure(FailureStages.validate, ReasonClasses.logicalType, err.message);
      return failure(FailureStages.decode, ReasonClasses.avroInvalid, `invalid Avro value for ${what}: ${errorMessage(err)}`);
    }
  }
}

const EMPTY = failure(FailureStages.decode, ReasonClasses.empty, 'message value is empty (null or zero bytes)');

export interface AvroCodecOptions {
  /** The schema the producers write with. */
  readonly writer: Type;
  /** The schema we read as (evolution); defaults to the writer schema. */
  readonly reader?: Type;
  /** Names the schema in reasons, e.g. the .avsc path. */
  readonly name?: string;
}

/** Raw Avro binary (no framing), one fixed writer schema. */
export function createAvroCodec(options: AvroCodecOptions): Codec {
  const reader = new AvroReader(options.reader ?? options.writer);
  const what = options.name ?? (options.writer.name ? `schema ${options.writer.name}` : 'the Avro schema');
  // Resolve up front: an incompatible reader/writer pair is a config error, not a data error.
  const resolver = reader.resolverFor(options.writer, what);
  return {
    kind: CodecKinds.avro,
    decode(bytes: Buffer | null): DecodeResult {
      if (bytes === null || bytes.length === 0) return EMPTY;
      return reader.decodeBody(bytes, 0, resolver, what);
    },
  };
}

/** avsc's `equals(other, { strict: true })`: exported schemas with attributes compared (not in its typings). */
function strictlyEqual(a: Type, b: Type): boolean {
  return (a.equals as (other: Type, opts: { strict: boolean }) => boolean).call(a, b, { strict: true });
}
