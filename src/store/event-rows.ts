/**
 * Column-wise rows for `events` and `late_events`, built once per batch from the events and
 * what the engine extracted from them (no re-extraction, so stored columns and in-memory
 * aggregates see the same values).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { EngineEvent, LateAssignment, StreamSpec } from '../features/types.js';
import type { IngestedEvent } from '../ingest/types.js';
import { EVENT_BASE_COLUMNS } from './schema.js';
import { tsOrNull, tsValue } from './sql.js';

/** An event with its extracted values and payload JSON, as one batch carries them through the store. */
export interface PreparedEvent {
  readonly event: IngestedEvent;
  readonly engine: EngineEvent;
  readonly payload: string;
}

type FieldSource = (p: PreparedEvent) => number | string | null;

/** Where each field column of `events` comes from for one stream (null: the stream lacks the field). */
export function fieldSources(spec: StreamSpec, tableColumns: readonly string[]): (FieldSource | null)[] {
  const fieldCols = tableColumns.slice(EVENT_BASE_COLUMNS.length);
  return fieldCols.map((col) => {
    const fi = spec.features.findIndex((f) => f.name === col);
    if (fi >= 0) return (p) => p.engine.values[fi] ?? null;
    const keyed = spec.keyedAggregates ?? [];
    const ki = keyed.findIndex((k) => k.key === col);
    if (ki >= 0) return (p) => p.engine.keys[ki] ?? null;
    const vi = keyed.findIndex((k) => k.feature === col);
    if (vi >= 0) return (p) => p.engine.keyedValues[vi] ?? null;
    return null;
  });
}

/** Columns in table order for the events of one batch of one stream. */
export function eventColumns(
  events: readonly PreparedEvent[],
  sources: readonly (FieldSource | null)[],
  batchSeq: number,
  arrivalWatermarks: readonly (number | null)[],
  ingestedAtMs: number,
): DuckDBValue[][] {
  const n = events.length;
  const base: DuckDBValue[][] = EVENT_BASE_COLUMNS.map(() => new Array<DuckDBValue>(n));
  const [stream, topic, partition, offset, eventTime, kafkaTs, key, seq, arrival, ingested, payload] = base as [
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
    DuckDBValue[],
  ];
  const seqValue = BigInt(batchSeq);
  const ingestedValue = tsValue(ingestedAtMs);
  for (let i = 0; i < n; i++) {
    const { event, payload: json } = events[i] as PreparedEvent;
    stream[i] = event.stream;
    topic[i] = event.topic;
    partition[i] = event.partition;
    offset[i] = BigInt(event.offset);
    eventTime[i] = tsValue(event.eventTime);
    kafkaTs[i] = Number.isFinite(event.kafkaTimestamp) ? tsValue(event.kafkaTimestamp) : null;
    key[i] = event.key;
    seq[i] = seqValue;
    arrival[i] = tsOrNull(arrivalWatermarks[i]);
    ingested[i] = ingestedValue;
    payload[i] = json;
  }
  const fields = sources.map((src) => {
    const col = new Array<DuckDBValue>(n);
    for (let i = 0; i < n; i++) col[i] = src === null ? null : src(events[i] as PreparedEvent);
    return col;
  });
  return [...base, ...fields];
}

/** Columns of `late_events` (one row per event × closed window it was late for). */
export function lateColumns(events: readonly PreparedEvent[], late: readonly LateAssignment[], recordedAtMs: number): DuckDBValue[][] {
  const cols: DuckDBValue[][] = Array.from({ length: 10 }, () => new Array<DuckDBValue>(late.length));
  const recorded = tsValue(recordedAtMs);
  late.forEach((l, i) => {
    const { event, payload } = events[l.index] as PreparedEvent;
    const row: DuckDBValue[] = [
      event.stream,
      event.topic,
      event.partition,
      BigInt(event.offset),
      tsValue(event.eventTime),
      tsValue(l.windowStart),
      tsValue(l.windowEnd),
      tsValue(l.watermark),
      payload,
      recorded,
    ];
    row.forEach((v, c) => ((cols[c] as DuckDBValue[])[i] = v));
  });
  return cols;
}
