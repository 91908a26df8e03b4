/**
 * DDL of the driftwatch DuckDB file (documented in TABLES.md) and the typed feature columns
 * of `events`, which are derived from the streams' feature and keyed-aggregate fields.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigError, StoreError } from '../errors.js';
import type { StreamSpec } from '../features/types.js';
import { quoteIdent, quoteString } from './sql.js';

export const SCHEMA_VERSION = 1;

/** Columns of `events` that precede the feature columns, in table order. */
export const EVENT_BASE_COLUMNS = [
  'stream',
  'topic',
  'partition',
  'offset',
  'event_time',
  'kafka_ts',
  'key',
  'batch_seq',
  'arrival_watermark',
  'ingested_at',
  'payload',
] as const;

const DDL = `
CREATE TABLE IF NOT EXISTS driftwatch_meta (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  stream VARCHAR NOT NULL,
  topic VARCHAR NOT NULL,
  "partition" INTEGER NOT NULL,
  "offset" BIGINT NOT NULL,
  event_time TIMESTAMP NOT NULL,
  kafka_ts TIMESTAMP,
  "key" VARCHAR,
  batch_seq BIGINT NOT NULL,
  arrival_watermark TIMESTAMP,
  ingested_at TIMESTAMP NOT NULL,
  payload JSON
);
CREATE TABLE IF NOT EXISTS ingest_offsets (
  topic VARCHAR NOT NULL,
  "partition" INTEGER NOT NULL,
  next_offset BIGINT NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (topic, "partition")
);
CREATE TABLE IF NOT EXISTS window_state (
  stream VARCHAR PRIMARY KEY,
  watermark TIMESTAMP,
  updated_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS partition_state (
  stream VARCHAR NOT NULL,
  topic VARCHAR NOT NULL,
  "partition" INTEGER NOT NULL,
  max_event_time TIMESTAMP NOT NULL,
  last_seen_at TIMESTAMP NOT NULL,
  PRIMARY KEY (stream, topic, "partition")
);
CREATE TABLE IF NOT EXISTS windows (
  stream VARCHAR NOT NULL,
  window_start TIMESTAMP NOT NULL,
  window_end TIMESTAMP NOT NULL,
  event_count BIGINT NOT NULL,
  closed_at TIMESTAMP NOT NULL,
  evaluated_at TIMESTAMP,
  PRIMARY KEY (stream, window_start, window_end)
);
CREATE TABLE IF NOT EXISTS feature_windows (
  stream VARCHAR NOT NULL,
  window_start TIMESTAMP NOT NULL,
  window_end TIMESTAMP NOT NULL,
  feature VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  "count" BIGINT NOT NULL,
  null_count BIGINT NOT NULL,
  nan_count BIGINT NOT NULL,
  inf_count BIGINT NOT NULL,
  "sum" DOUBLE,
  mean DOUBLE,
  variance DOUBLE,
  "min" DOUBLE,
  "max" DOUBLE,
  p01 DOUBLE,
  p05 DOUBLE,
  p25 DOUBLE,
  p50 DOUBLE,
  p75 DOUBLE,
  p95 DOUBLE,
  p99 DOUBLE,
  category_counts JSON,
  psi_bin_counts JSON,
  closed_at TIMESTAMP NOT NULL,
  PRIMARY KEY (stream, window_start, window_end, feature)
);
CREATE TABLE IF NOT EXISTS keyed_windows (
  stream VARCHAR NOT NULL,
  window_start TIMESTAMP NOT NULL,
  window_end TIMESTAMP NOT NULL,
  aggregate VARCHAR NOT NULL,
  key_field VARCHAR NOT NULL,
  feature VARCHAR NOT NULL,
  agg VARCHAR NOT NULL,
  "key" VARCHAR NOT NULL,
  events BIGINT NOT NULL,
  n BIGINT NOT NULL,
  value DOUBLE
);
CREATE TABLE IF NOT EXISTS late_events (
  stream VARCHAR NOT NULL,
  topic VARCHAR NOT NULL,
  "partition" INTEGER NOT NULL,
  "offset" BIGINT NOT NULL,
  event_time TIMESTAMP NOT NULL,
  window_start TIMESTAMP NOT NULL,
  window_end TIMESTAMP NOT NULL,
  watermark TIMESTAMP NOT NULL,
  payload JSON,
  recorded_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS drift_results (
  stream VARCHAR NOT NULL,
  window_start TIMESTAMP NOT NULL,
  window_end TIMESTAMP NOT NULL,
  feature VARCHAR NOT NULL,
  metric VARCHAR NOT NULL,
  value DOUBLE,
  threshold DOUBLE,
  status VARCHAR NOT NULL,
  evaluated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (stream, window_start, window_end, feature, metric)
);
CREATE OR REPLACE VIEW late_counts AS
  SELECT stream, window_start, window_end, count(*) AS late_count FROM late_events GROUP BY ALL;
`;

export const ColumnTypes = { double: 'DOUBLE', varchar: 'VARCHAR' } as const;
export type ColumnType = (typeof ColumnTypes)[keyof typeof ColumnTypes];

/** A typed column of `events` holding one payload field. */
export interface FieldColumn {
  readonly field: string;
  readonly type: ColumnType;
}

const RESERVED = new Set<string>(EVENT_BASE_COLUMNS);

/**
 * Field columns needed by all streams: numeric features and keyed-aggregate features as DOUBLE,
 * categorical features and key fields as VARCHAR. One field must have one type across streams.
 */
export function fieldColumns(streams: readonly StreamSpec[]): FieldColumn[] {
  const byLower = new Map<string, { field: string; type: ColumnType; where: string }>();
  const want = (field: string, type: ColumnType, where: string): void => {
    if (RESERVED.has(field.toLowerCase())) {
      throw new ConfigError(`${where}: field '${field}' clashes with the built-in column '${field.toLowerCase()}' of the events table; rename the field`);
    }
    const seen = byLower.get(field.toLowerCase());
    if (seen === undefined) {
      byLower.set(field.toLowerCase(), { field, type, where });
    } else if (seen.field !== field) {
      throw new ConfigError(`${where}: field '${field}' differs only in case from '${seen.field}' (${seen.where}); DuckDB column names are case-insensitive`);
    } else if (seen.type !== type) {
      throw new ConfigError(`${where}: field '${field}' is used as ${type} here but as ${seen.type} in ${seen.where}`);
    }
  };
  for (const s of streams) {
    for (const f of s.features) want(f.name, f.kind === 'numeric' ? 'DOUBLE' : 'VARCHAR', `streams.${s.name}.features.${f.name}`);
    for (const k of s.keyedAggregates ?? []) {
      want(k.key, 'VARCHAR', `streams.${s.name}.keyed_aggregates.${k.name}.key`);
      want(k.feature, 'DOUBLE', `streams.${s.name}.keyed_aggregates.${k.name}.feature`);
    }
  }
  return [...byLower.values()].map(({ field, type }) => ({ field, type }));
}

/**
 * Creates the tables, checks the schema version, and adds missing field columns to `events`.
 * Returns the column names of `events` in table order.
 */
export async function ensureSchema(conn: DuckDBConnection, path: string, streams: readonly StreamSpec[]): Promise<string[]> {
  const columns = fieldColumns(streams);
  await conn.run(DDL);
  const version = await conn.runAndReadAll(`SELECT value FROM driftwatch_meta WHERE name = 'schema_version'`);
  const stored = version.getRows()[0]?.[0];
  if (stored === undefined) {
    await conn.run(`INSERT INTO driftwatch_meta VALUES ('schema_version', ${quoteString(String(SCHEMA_VERSION))})`);
  } else if (stored !== String(SCHEMA_VERSION)) {
    throw new StoreError(`${path}: schema version ${String(stored)} is not supported (expected ${SCHEMA_VERSION})`, { details: { path } });
  }
  const existing = await eventColumnTypes(conn);
  const names = [...existing.keys()];
  for (const c of columns) {
    const have = existing.get(c.field);
    if (have === undefined) {
      await conn.run(`ALTER TABLE events ADD COLUMN ${quoteIdent(c.field)} ${c.type}`);
      names.push(c.field);
    } else if (have !== c.type) {
      throw new StoreError(
        `${path}: events.${c.field} is ${have} but the config now needs ${c.type}; use a new database file or drop the column`,
        { details: { path, column: c.field } },
      );
    }
  }
  return names;
}

/** Column name → DuckDB type name of `events`, in table order (pragma_table_info: ~20× cheaper than duckdb_columns()). */
export async function eventColumnTypes(conn: DuckDBConnection): Promise<Map<string, string>> {
  const r = await conn.runAndReadAll(`SELECT name, type FROM pragma_table_info('events') ORDER BY cid`);
  return new Map(r.getRows().map(([name, type]) => [String(name), String(type)]));
}
