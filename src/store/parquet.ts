/**
 * Parquet export with Hive-style partitions:
 *   <dir>/events/stream=<s>/date=<YYYY-MM-DD>/part-0.parquet           (by event time, UTC)
 *   <dir>/feature_windows/stream=<s>/date=<YYYY-MM-DD>/part-0.parquet  (by window start, UTC)
 * zstd-compressed, written by DuckDB `COPY … TO` into a temp directory inside <dir> and renamed
 * into place file by file (rename is atomic, so readers see a whole old or a whole new file).
 * Each export rewrites complete (stream, date) partitions from `since`'s date on, so file names
 * are stable and re-running an export replaces files instead of adding duplicates.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StreamSpec } from '../features/types.js';
import { fieldColumns } from './schema.js';
import { inTransaction, quoteIdent, quoteString, tsLiteral } from './sql.js';

export interface ParquetExportOptions {
  /** Epoch ms: re-export only partitions whose date is on or after this instant's UTC date. Default: everything. */
  readonly since?: number;
}

export interface ParquetExportResult {
  /** Final paths of the files written. */
  readonly files: string[];
  readonly eventRows: number;
  readonly windowRows: number;
}

const DAY_MS = 86_400_000;

export async function exportParquetFiles(
  conn: DuckDBConnection,
  dir: string,
  streams: readonly StreamSpec[],
  options: ParquetExportOptions = {},
): Promise<ParquetExportResult> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.tmp-export-${process.pid}-${randomBytes(4).toString('hex')}`);
  const since = options.since === undefined ? null : Math.floor(options.since / DAY_MS) * DAY_MS;
  const copy = (select: string, target: string): string =>
    `COPY (${select}) TO ${quoteString(target)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (date), FILENAME_PATTERN 'part-{i}', OVERWRITE_OR_IGNORE)`;
  let eventRows = 0;
  let windowRows = 0;
  try {
    // DuckDB creates the partition directories but not their parents.
    await mkdir(join(tmp, 'events'), { recursive: true });
    await mkdir(join(tmp, 'feature_windows'), { recursive: true });
    // One read transaction: events and windows come from the same snapshot.
    await inTransaction(conn, async () => {
      const present = (await conn.runAndReadAll(`SELECT DISTINCT stream FROM events UNION SELECT DISTINCT stream FROM feature_windows`)).getRows();
      const names = [...new Set([...streams.map((s) => s.name), ...present.map(([s]) => String(s))])].sort();
      for (const name of names) {
        const spec = streams.find((s) => s.name === name);
        const fields = spec === undefined ? [] : fieldColumns([spec]).map((c) => quoteIdent(c.field));
        const stream = quoteString(name);
        const evWhere = `stream = ${stream}${since === null ? '' : ` AND event_time >= ${tsLiteral(since)}`}`;
        const evSelect = `SELECT topic, "partition", "offset", event_time, kafka_ts, "key", batch_seq, arrival_watermark, ingested_at, payload${fields
          .map((f) => `, ${f}`)
          .join('')}, strftime(event_time, '%Y-%m-%d') AS date FROM events WHERE ${evWhere} ORDER BY event_time, topic, "partition", "offset"`;
        eventRows += (await conn.run(copy(evSelect, join(tmp, 'events', `stream=${name}`)))).rowsChanged;
        const fwWhere = `stream = ${stream}${since === null ? '' : ` AND window_start >= ${tsLiteral(since)}`}`;
        const fwSelect = `SELECT * EXCLUDE (stream), strftime(window_start, '%Y-%m-%d') AS date FROM feature_windows WHERE ${fwWhere} ORDER BY window_start, window_end, feature`;
        windowRows += (await conn.run(copy(fwSelect, join(tmp, 'feature_windows', `stream=${name}`)))).rowsChanged;
      }
    });
    const files: string[] = [];
    const byDir = new Map<string, Set<string>>();
    for (const file of await listFiles(tmp)) {
      const rel = relative(tmp, file);
      const final = join(dir, rel);
      const finalDir = join(final, '..');
      await mkdir(finalDir, { recursive: true });
      await rename(file, final);
      files.push(final);
      byDir.set(finalDir, (byDir.get(finalDir) ?? new Set()).add(final));
    }
    // A partition that shrank to fewer files keeps no stale parts.
    for (const [d, keep] of byDir) {
      for (const name of await readdir(d)) {
        const p = join(d, name);
        if (name.startsWith('part-') && name.endsWith('.parquet') && !keep.has(p)) await unlink(p);
      }
    }
    return { files: files.sort(), eventRows, windowRows };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch {
    return out;
  }
  for (const e of entries) if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}
