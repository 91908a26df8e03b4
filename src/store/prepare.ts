/**
 * First step of a sink write, pure: drop events below the partition's stored next offset
 * (replays), check offsets and streams, and extract each event's typed values and payload JSON
 * once, grouped by stream in offset order.
 */
import { StoreError } from '../errors.js';
import { jsonReplacer, type Extractor } from '../features/extract.js';
import type { PartitionBatch } from '../ingest/types.js';
import type { PreparedEvent } from './event-rows.js';
import { partitionId } from './restore.js';

export interface PreparedBatch<S> {
  readonly partition: string;
  /** Parsed `batch.nextOffset`. */
  readonly next: bigint;
  /** New events per stream, in offset order. */
  readonly groups: Map<S, PreparedEvent[]>;
}

export function prepareBatch<S extends { readonly extract: Extractor }>(
  batch: PartitionBatch,
  stored: bigint | undefined,
  streams: ReadonlyMap<string, S>,
): PreparedBatch<S> {
  const where = `${batch.topic}[${batch.partition}]`;
  const pid = partitionId(batch.topic, batch.partition);
  const next = parseOffset(batch.nextOffset, `${where} nextOffset`);
  const groups = new Map<S, PreparedEvent[]>();
  for (const event of batch.events) {
    const offset = parseOffset(event.offset, `${where} offset`);
    if (stored !== undefined && offset < stored) continue; // already durable: a replay
    if (!Number.isFinite(event.eventTime)) {
      throw new StoreError(`${where} offset ${event.offset}: event time ${event.eventTime} is not a finite epoch-ms value`, {
        details: { topic: batch.topic, partition: batch.partition, offset: event.offset },
      });
    }
    const rt = streams.get(event.stream);
    if (rt === undefined) {
      throw new StoreError(`${where} offset ${event.offset}: event of stream '${event.stream}', which the store was not opened with`, {
        details: { topic: batch.topic, partition: batch.partition, offset: event.offset, stream: event.stream },
      });
    }
    const x = rt.extract(event.fields);
    const prepared: PreparedEvent = {
      event,
      payload: payloadJson(event.fields),
      engine: { partition: pid, eventTime: event.eventTime, values: x.values, keys: x.keys, keyedValues: x.keyedValues },
    };
    const list = groups.get(rt);
    if (list === undefined) groups.set(rt, [prepared]);
    else list.push(prepared);
  }
  return { partition: pid, next, groups };
}

function parseOffset(text: string, where: string): bigint {
  if (!/^\d+$/.test(text)) throw new StoreError(`${where}: '${text}' is not a Kafka offset`, { details: { where, offset: text } });
  return BigInt(text);
}

/** Payload as JSON; the replacer (bigints from Avro longs) only when plain stringify refuses, as it costs a call per value. */
function payloadJson(fields: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return JSON.stringify(fields, jsonReplacer);
  }
}
