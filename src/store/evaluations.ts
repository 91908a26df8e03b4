/**
 * Drift results and the evaluation bookkeeping that makes evaluation replay-safe: results are
 * upserted on their primary key (a re-run replaces, never duplicates) and `windows.evaluated_at`
 * records which closed windows were evaluated, in the same transaction as their results.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { appendTable, quoteString, tsLiteral, tsValue } from './sql.js';

/** One metric of one feature of one window. */
export interface DriftResultRow {
  readonly stream: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly feature: string;
  /** e.g. psi, ks_statistic, ks_pvalue, wasserstein_normed, null_rate. */
  readonly metric: string;
  readonly value: number | null;
  readonly threshold: number | null;
  /** A DriftStatus (ok | warn | critical | insufficient_data) or a rule's own status. */
  readonly status: string;
  /** Epoch ms; defaults to the store clock. */
  readonly evaluatedAt?: number;
}

export interface WindowRef {
  readonly stream: string;
  readonly start: number;
  readonly end: number;
}

const STAGE = 'drift_results_stage';

/** Upserts rows (last one wins for a repeated key). Call inside a transaction. */
export async function upsertDriftResults(conn: DuckDBConnection, rows: readonly DriftResultRow[], nowMs: number): Promise<void> {
  if (rows.length === 0) return;
  const unique = new Map<string, DriftResultRow>();
  for (const r of rows) unique.set(JSON.stringify([r.stream, r.windowStart, r.windowEnd, r.feature, r.metric]), r);
  const list = [...unique.values()];
  const col = <T extends DuckDBValue>(f: (r: DriftResultRow) => T): T[] => list.map(f);
  await conn.run(`CREATE TEMP TABLE IF NOT EXISTS ${STAGE} AS SELECT * FROM drift_results LIMIT 0`);
  await conn.run(`DELETE FROM ${STAGE}`);
  await appendTable(conn, STAGE, [
    col((r) => r.stream),
    col((r) => tsValue(r.windowStart)),
    col((r) => tsValue(r.windowEnd)),
    col((r) => r.feature),
    col((r) => r.metric),
    col((r) => r.value),
    col((r) => r.threshold),
    col((r) => r.status),
    col((r) => tsValue(r.evaluatedAt ?? nowMs)),
  ]);
  await conn.run(`INSERT OR REPLACE INTO drift_results SELECT * FROM ${STAGE}`);
  await conn.run(`DELETE FROM ${STAGE}`);
}

/** Sets `windows.evaluated_at`. Call inside a transaction. */
export async function markWindowsEvaluated(conn: DuckDBConnection, windows: readonly WindowRef[], nowMs: number): Promise<void> {
  if (windows.length === 0) return;
  const values = windows.map((w) => `(${quoteString(w.stream)}, ${tsLiteral(w.start)}, ${tsLiteral(w.end)})`).join(', ');
  await conn.run(
    `UPDATE windows SET evaluated_at = ${tsLiteral(Math.round(nowMs))}
     FROM (VALUES ${values}) v(stream, s, e)
     WHERE windows.stream = v.stream AND windows.window_start = v.s AND windows.window_end = v.e`,
  );
}
