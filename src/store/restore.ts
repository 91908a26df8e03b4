/**
 * Rebuilds a stream's open windows after a restart: the checkpointed watermark and partition
 * state (written with every batch) plus a replay of the stored events that open windows can
 * hold, in the order they were first processed (batch_seq, offset). An open window was open
 * when each of its events arrived (the watermark only grows), so the replay is exact.
 * Downtime does not count as partition silence: last-seen times are shifted by the time since
 * the checkpoint, so a restart neither idles partitions nor changes results.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { WindowEngine } from '../features/engine.js';
import type { EngineEvent, StreamSpec } from '../features/types.js';
import { msFrom, quoteIdent, quoteString, tsLiteral } from './sql.js';

export function partitionId(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** Splits a partition id back; Kafka topic names cannot contain ':'. */
export function parsePartitionId(id: string): { topic: string; partition: number } {
  const i = id.lastIndexOf(':');
  return { topic: id.slice(0, i), partition: Number(id.slice(i + 1)) };
}

export async function restoreEngine(conn: DuckDBConnection, spec: StreamSpec, nowMs: number): Promise<WindowEngine> {
  const engine = new WindowEngine(spec);
  const stream = quoteString(spec.name);
  const state = (await conn.runAndReadAll(`SELECT watermark, updated_at FROM window_state WHERE stream = ${stream}`)).getRows()[0];
  const parts = (
    await conn.runAndReadAll(`SELECT topic, "partition", max_event_time, last_seen_at FROM partition_state WHERE stream = ${stream}`)
  ).getRows();
  const checkpointAt = state === undefined ? nowMs : (msFrom(state[1] ?? null) ?? nowMs);
  const downtime = Math.max(0, nowMs - checkpointAt);
  engine.restore({
    watermark: state === undefined ? null : msFrom(state[0] ?? null),
    partitions: new Map(
      parts.map(([t, p, max, seen]) => [
        partitionId(String(t), Number(p)),
        { max: msFrom(max ?? null) as number, lastSeenMs: (msFrom(seen ?? null) as number) + downtime },
      ]),
    ),
  });
  const from = engine.openFrom();
  const keyed = spec.keyedAggregates ?? [];
  const cols = [
    ...spec.features.map((f) => quoteIdent(f.name)),
    ...keyed.map((k) => quoteIdent(k.key)),
    ...keyed.map((k) => quoteIdent(k.feature)),
  ];
  const nf = spec.features.length;
  const nk = keyed.length;
  const sql = `SELECT epoch_ms(event_time)::DOUBLE, topic || ':' || "partition"${cols.map((c) => `, ${c}`).join('')}
    FROM events WHERE stream = ${stream}${from === null ? '' : ` AND event_time >= ${tsLiteral(from)}`}
    ORDER BY batch_seq, "offset"`;
  const result = await conn.stream(sql);
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const c = chunk.getColumns();
    for (let r = 0; r < chunk.rowCount; r++) {
      const at = (i: number): DuckDBValue => (c[i] as DuckDBValue[])[r] ?? null;
      const ev: EngineEvent = {
        eventTime: at(0) as number,
        partition: at(1) as string,
        values: Array.from({ length: nf }, (_, i) => at(2 + i) as number | string | null),
        keys: Array.from({ length: nk }, (_, i) => at(2 + nf + i) as string | null),
        keyedValues: Array.from({ length: nk }, (_, i) => at(2 + nf + nk + i) as number | null),
      };
      engine.replay(ev);
    }
  }
  return engine;
}
