import avro from 'avsc';
import type { Schema, Type } from 'avsc';

/**
 * avsc logical types for the Avro logical types we read. Decoding leaves the raw
 * underlying value alone (long, int, bytes): the conversion to plain JS values happens
 * in `avro-plain.ts`, which knows the field path for error messages. What these classes
 * add is schema evolution: avsc asks the reader's logical type whether it can read a
 * writer type (`_resolve`), e.g. timestamp-micros written, timestamp-millis read.
 */

const MS_PER_DAY = 86_400_000;

function isLogical(type: Type, name: string): boolean {
  return type.typeName === `logical:${name}`;
}

function isPrimitive(type: Type, name: string): boolean {
  return type.typeName === name;
}

class TimestampMillisType extends avro.types.LogicalType {
  protected override _fromValue(val: unknown): unknown {
    return val;
  }
  protected override _toValue(val: unknown): unknown {
    return val instanceof Date ? val.getTime() : val;
  }
  protected override _resolve(type: Type): unknown {
    if (isPrimitive(type, 'long') || isPrimitive(type, 'int')) return (v: number) => v;
    if (isLogical(type, 'timestamp-millis') || isLogical(type, 'local-timestamp-millis')) return (v: number) => v;
    if (isLogical(type, 'timestamp-micros') || isLogical(type, 'local-timestamp-micros')) {
      return (v: number) => Math.floor(v / 1000);
    }
    return undefined;
  }
}

class TimestampMicrosType extends avro.types.LogicalType {
  protected override _fromValue(val: unknown): unknown {
    return val;
  }
  protected override _toValue(val: unknown): unknown {
    return val instanceof Date ? val.getTime() * 1000 : val;
  }
  protected override _resolve(type: Type): unknown {
    if (isPrimitive(type, 'long') || isPrimitive(type, 'int')) return (v: number) => v;
    if (isLogical(type, 'timestamp-micros') || isLogical(type, 'local-timestamp-micros')) return (v: number) => v;
    if (isLogical(type, 'timestamp-millis') || isLogical(type, 'local-timestamp-millis')) {
      return (v: number) => v * 1000;
    }
    return undefined;
  }
}

class DateType extends avro.types.LogicalType {
  protected override _fromValue(val: unknown): unknown {
    return val;
  }
  protected override _toValue(val: unknown): unknown {
    return val instanceof Date ? Math.floor(val.getTime() / MS_PER_DAY) : val;
  }
  protected override _resolve(type: Type): unknown {
    if (isPrimitive(type, 'int') || isLogical(type, 'date')) return (v: number) => v;
    return undefined;
  }
}

interface DecimalAttrs {
  precision?: unknown;
  scale?: unknown;
  size?: unknown;
}

class DecimalType extends avro.types.LogicalType {
  readonly precision: number;
  readonly scale: number;
  /** Byte size when the underlying type is `fixed`, else undefined. */
  readonly fixedSize: number | undefined;

  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    const attrs = schema as DecimalAttrs;
    const precision = attrs.precision;
    const scale = attrs.scale ?? 0;
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) {
      throw new Error(`decimal logical type needs an integer precision >= 1, got ${String(precision)}`);
    }
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new Error(`decimal logical type needs an integer scale in [0, precision], got ${String(scale)}`);
    }
    this.precision = precision;
    this.scale = scale;
    this.fixedSize = typeof attrs.size === 'number' ? attrs.size : undefined;
  }

  protected override _fromValue(val: unknown): unknown {
    return val;
  }

  /** Puts precision and scale into exported schemas, so strict equality sees them. */
  protected override _export(attrs: Schema): void {
    Object.assign(attrs, { precision: this.precision, scale: this.scale });
  }

  /** Encoding side, used by tests and the demo producer: number → two's complement bytes. */
  protected override _toValue(val: unknown): unknown {
    if (Buffer.isBuffer(val)) return val;
    if (typeof val !== 'number' || !Number.isFinite(val)) return undefined;
    return encodeDecimal(BigInt(Math.round(val * 10 ** this.scale)), this.fixedSize);
  }

  protected override _resolve(type: Type): unknown {
    if (type instanceof DecimalType && type.scale === this.scale && type.precision <= this.precision) {
      return (v: Buffer) => v;
    }
    return undefined;
  }
}

/** Big-endian two's complement, minimal length (or sign-extended to `size` for fixed). */
export function encodeDecimal(unscaled: bigint, size?: number): Buffer {
  const bytes: number[] = [];
  let n = unscaled;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, n));
    bytes.unshift(byte);
    n >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((n === 0n && !signBit) || (n === -1n && signBit)) break;
  }
  if (size !== undefined) {
    if (bytes.length > size) throw new Error(`decimal ${unscaled} does not fit in ${size} bytes`);
    const fill = unscaled < 0n ? 0xff : 0x00;
    while (bytes.length < size) bytes.unshift(fill);
  }
  return Buffer.from(bytes);
}

/** Inverse of encodeDecimal: the unscaled integer of a two's complement buffer. */
export function decodeUnscaled(buf: Uint8Array): bigint {
  let n = 0n;
  for (const byte of buf) n = (n << 8n) | BigInt(byte);
  return buf.length === 0 ? 0n : BigInt.asIntN(buf.length * 8, n);
}

/** Decimal bytes → a double (exact up to 2^53 unscaled; beyond that, nearest double). */
export function decimalToNumber(buf: Uint8Array, scale: number): number {
  if (buf.length === 0) return 0;
  // Up to 6 bytes fits a double exactly: skip BigInt on the common short path.
  const unscaled =
    buf.length <= 6
      ? Buffer.from(buf.buffer, buf.byteOffset, buf.length).readIntBE(0, buf.length)
      : Number(decodeUnscaled(buf));
  return scale === 0 ? unscaled : unscaled / 10 ** scale;
}

export function isDecimalType(type: Type): type is Type & { readonly precision: number; readonly scale: number } {
  return type instanceof DecimalType;
}

/** Pass as `logicalTypes` to `Type.forSchema` for every reader and writer type. */
export const avroLogicalTypes = {
  'timestamp-millis': TimestampMillisType,
  'local-timestamp-millis': TimestampMillisType,
  'timestamp-micros': TimestampMicrosType,
  'local-timestamp-micros': TimestampMicrosType,
  date: DateType,
  decimal: DecimalType,
} as const;
