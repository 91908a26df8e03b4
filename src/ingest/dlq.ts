import { truncateReason, type IngestFailure } from './failure.js';

/**
 * Dead-letter headers, modelled on Kafka Connect's `__connect.errors.*`: UTF-8 strings
 * added to the original headers, which are kept, as are the key and value bytes.
 */
export const DlqHeaderNames = {
  stage: 'driftwatch.error.stage',
  reason: 'driftwatch.error.reason',
  reasonClass: 'driftwatch.error.class',
  stream: 'driftwatch.error.stream',
  topic: 'driftwatch.error.topic',
  partition: 'driftwatch.error.partition',
  offset: 'driftwatch.error.offset',
  /** When driftwatch rejected the message, epoch ms. */
  timestamp: 'driftwatch.error.timestamp',
  /** The original message's Kafka timestamp, epoch ms (the DLQ record gets a fresh one). */
  originalTimestamp: 'driftwatch.original.timestamp',
} as const;

/** Header values as kafkajs gives and takes them. */
export type HeaderValue = Buffer | string | ReadonlyArray<Buffer | string> | undefined;
export type Headers = Readonly<Record<string, HeaderValue>>;

export interface DlqSource {
  readonly stream: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Original Kafka timestamp (epoch ms as a decimal string). */
  readonly timestamp: string;
}

export function dlqHeaders(f: IngestFailure, source: DlqSource, nowMs: number): Record<string, string> {
  return {
    [DlqHeaderNames.stage]: f.stage,
    [DlqHeaderNames.reason]: truncateReason(f.reason),
    [DlqHeaderNames.reasonClass]: f.reasonClass,
    [DlqHeaderNames.stream]: source.stream,
    [DlqHeaderNames.topic]: source.topic,
    [DlqHeaderNames.partition]: String(source.partition),
    [DlqHeaderNames.offset]: source.offset,
    [DlqHeaderNames.timestamp]: String(nowMs),
    [DlqHeaderNames.originalTimestamp]: source.timestamp,
  };
}

export interface DlqMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | string | Array<Buffer | string>>;
}

/**
 * The message to produce to the DLQ. Our headers replace same-named ones, so a message
 * replayed from a DLQ and rejected again carries the latest error, not two.
 */
export function dlqMessage(
  original: { readonly key: Buffer | null; readonly value: Buffer | null; readonly headers?: Headers },
  f: IngestFailure,
  source: DlqSource,
  nowMs: number,
): DlqMessage {
  const headers: Record<string, Buffer | string | Array<Buffer | string>> = {};
  if (original.headers) {
    for (const [name, value] of Object.entries(original.headers)) {
      if (value === undefined) continue;
      headers[name] = Array.isArray(value) ? [...(value as ReadonlyArray<Buffer | string>)] : (value as Buffer | string);
    }
  }
  Object.assign(headers, dlqHeaders(f, source, nowMs));
  return { key: original.key, value: original.value, headers };
}
