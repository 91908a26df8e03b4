/**
 * Small DuckDB helpers shared by the store modules: identifier quoting, epoch-ms ↔ TIMESTAMP,
 * chunked appends, and reading result columns as plain JS values.
 */
import { DuckDBDataChunk, DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/** DuckDB's vector size: one data chunk holds at most this many rows. */
export const CHUNK_ROWS = 2048;

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** TIMESTAMP value from epoch milliseconds. */
export function tsValue(ms: number): DuckDBTimestampValue {
  return new DuckDBTimestampValue(BigInt(Math.round(ms)) * 1000n);
}

export function tsOrNull(ms: number | null | undefined): DuckDBTimestampValue | null {
  return ms === null || ms === undefined ? null : tsValue(ms);
}

/** SQL literal for a TIMESTAMP at epoch ms (numbers only, never user text). */
export function tsLiteral(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not an epoch-ms time: ${ms}`);
  return `epoch_ms(${Math.round(ms)}::BIGINT)`;
}

/** Epoch ms from what DuckDB returns for TIMESTAMP / BIGINT / DOUBLE columns. */
export function msFrom(v: DuckDBValue): number | null {
  if (v === null) return null;
  if (v instanceof DuckDBTimestampValue) return Number(v.micros / 1000n);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  throw new TypeError(`expected a timestamp, got ${String(v)}`);
}

export function numberOrNull(v: DuckDBValue): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`expected a number, got ${String(v)}`);
}

/**
 * Appends rows column-wise through data chunks (never row-by-row INSERT). `columns` holds one
 * array per table column, all of the same length; the appender joins the connection's open
 * transaction, so the rows commit or roll back with it.
 */
export function appendColumns(appender: DuckDBAppender, columns: readonly (readonly DuckDBValue[])[]): void {
  const rows = columns[0]?.length ?? 0;
  const types = columns.map((_, i) => appender.columnType(i));
  for (let off = 0; off < rows; off += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - off);
    const chunk = DuckDBDataChunk.create(types, n);
    chunk.setColumns(off === 0 && n === rows ? columns : columns.map((c) => c.slice(off, off + n)));
    appender.appendDataChunk(chunk);
  }
}

/** Appends to `table` and flushes; one call per table per transaction. */
export async function appendTable(conn: DuckDBConnection, table: string, columns: readonly (readonly DuckDBValue[])[]): Promise<void> {
  if ((columns[0]?.length ?? 0) === 0) return;
  const appender = await conn.createAppender(table);
  try {
    appendColumns(appender, columns);
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Runs `fn` in a transaction on `conn`; rolls back and rethrows on failure. */
export async function inTransaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const out = await fn();
    await conn.run('COMMIT');
    return out;
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
