/**
 * The DuckDB/Parquet store: `openStore` gives the EventSink the ingest consumer writes to,
 * plus window/evaluation/sample/export functions. Tables are documented in TABLES.md.
 */
import { DEFAULT_DB_PATH, DriftStore, type StoreOptions } from './store.js';

export { DEFAULT_DB_PATH, DUCKDB_DEFAULTS, DriftStore } from './store.js';
export type { LateEvent, LateEventHook, StoreMetrics, StoreOptions, WindowCloseListener } from './store.js';
export type { DriftResultRow, WindowRef } from './evaluations.js';
export type { ParquetExportOptions, ParquetExportResult } from './parquet.js';
export type { WindowFilter } from './window-rows.js';

/** Opens (creating directories, tables and feature columns as needed) the store at `path`. */
export function openStore(path: string = DEFAULT_DB_PATH, options: StoreOptions = {}): Promise<DriftStore> {
  return DriftStore.open(path, options);
}
