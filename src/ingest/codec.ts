import type { Result } from './failure.js';

export const CodecKinds = {
  json: 'json',
  avro: 'avro',
  confluentAvro: 'confluent-avro',
} as const;
export type CodecKind = (typeof CodecKinds)[keyof typeof CodecKinds];

/** A decoded message body: a plain object of plain JS values. */
export type DecodedRecord = Record<string, unknown>;
export type DecodeResult = Result<DecodedRecord>;

/**
 * Bytes → record, pure and synchronous so a batch decodes in a tight loop. Codecs
 * that need I/O (schema-registry lookups) do it up front in `prepare`, once per batch.
 */
export interface Codec {
  readonly kind: CodecKind;
  /** Never throws: bad bytes come back as `{ ok: false, stage, reasonClass, reason }`. */
  decode(bytes: Buffer | null): DecodeResult;
  /** Fetches what `decode` will need for these message values. Never rejects. */
  prepare?(values: ReadonlyArray<Buffer | null>): Promise<void>;
}

export function decode(bytes: Buffer | null, codec: Codec): DecodeResult {
  return codec.decode(bytes);
}

/** `prepare` + `decode` for one message; for tests and one-off tools, not the hot path. */
export async function decodeOne(bytes: Buffer | null, codec: Codec): Promise<DecodeResult> {
  if (codec.prepare) await codec.prepare([bytes]);
  return codec.decode(bytes);
}
