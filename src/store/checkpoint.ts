/**
 * Checkpoint rows written with every batch: `window_state` (stream watermark), `partition_state`
 * (per-partition max event time and last-seen wall time) and `ingest_offsets`. The store knows
 * which rows exist, so it writes plain UPDATE / INSERT statements: DuckDB's ON CONFLICT upsert
 * measured ~6 ms per statement against ~0.8 ms for an UPDATE (1.5.6, PK tables of a few rows).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineSnapshot } from '../features/engine.js';
import { parsePartitionId, partitionId } from './restore.js';
import { quoteString, tsLiteral } from './sql.js';

export class Checkpoints {
  /** Keys of rows known to exist: `w|stream`, `p|stream|topic:partition`, `o|topic:partition`. */
  private readonly existing = new Set<string>();
  private pending: string[] = [];

  async load(conn: DuckDBConnection): Promise<void> {
    this.existing.clear();
    this.pending = [];
    const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRows();
    for (const [s] of await q(`SELECT stream FROM window_state`)) this.existing.add(`w|${String(s)}`);
    for (const [s, t, p] of await q(`SELECT stream, topic, "partition" FROM partition_state`)) {
      this.existing.add(`p|${String(s)}|${partitionId(String(t), Number(p))}`);
    }
    for (const [t, p] of await q(`SELECT topic, "partition" FROM ingest_offsets`)) this.existing.add(`o|${partitionId(String(t), Number(p))}`);
  }

  /** Statements saving a stream's watermark and the given partitions' state. */
  streamSql(stream: string, snap: EngineSnapshot, partitions: readonly string[], nowMs: number): string[] {
    const s = quoteString(stream);
    const wm = snap.watermark === null ? 'NULL' : tsLiteral(snap.watermark);
    const out = [
      this.upsert(
        `w|${stream}`,
        `UPDATE window_state SET watermark = ${wm}, updated_at = ${tsLiteral(nowMs)} WHERE stream = ${s}`,
        `INSERT INTO window_state VALUES (${s}, ${wm}, ${tsLiteral(nowMs)})`,
      ),
    ];
    for (const pid of partitions) {
      const st = snap.partitions.get(pid);
      if (st === undefined) continue;
      const { topic, partition } = parsePartitionId(pid);
      const t = quoteString(topic);
      out.push(
        this.upsert(
          `p|${stream}|${pid}`,
          `UPDATE partition_state SET max_event_time = ${tsLiteral(st.max)}, last_seen_at = ${tsLiteral(st.lastSeenMs)}
             WHERE stream = ${s} AND topic = ${t} AND "partition" = ${partition}`,
          `INSERT INTO partition_state VALUES (${s}, ${t}, ${partition}, ${tsLiteral(st.max)}, ${tsLiteral(st.lastSeenMs)})`,
        ),
      );
    }
    return out;
  }

  offsetSql(topic: string, partition: number, nextOffset: bigint, nowMs: number): string {
    const t = quoteString(topic);
    return this.upsert(
      `o|${partitionId(topic, partition)}`,
      `UPDATE ingest_offsets SET next_offset = ${nextOffset}, updated_at = ${tsLiteral(nowMs)} WHERE topic = ${t} AND "partition" = ${partition}`,
      `INSERT INTO ingest_offsets VALUES (${t}, ${partition}, ${nextOffset}, ${tsLiteral(nowMs)})`,
    );
  }

  /** Call after COMMIT: rows inserted by the transaction now exist. */
  committed(): void {
    for (const k of this.pending) this.existing.add(k);
    this.pending = [];
  }

  /** Call after ROLLBACK. */
  rolledBack(): void {
    this.pending = [];
  }

  private upsert(key: string, update: string, insert: string): string {
    if (this.existing.has(key) || this.pending.includes(key)) return update;
    this.pending.push(key);
    return insert;
  }
}
