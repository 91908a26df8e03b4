/**
 * Tables of the alert manager, in the same DuckDB file as the rest of the store (see
 * TABLES.md). Times are BIGINT epoch milliseconds; JSON columns are VARCHAR holding JSON text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export const ALERT_DDL = [
  `CREATE TABLE IF NOT EXISTS alerts (
    stream VARCHAR NOT NULL,
    feature VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    severity VARCHAR,
    over_count INTEGER NOT NULL,
    under_count INTEGER NOT NULL,
    fired_at BIGINT,
    last_notified_at BIGINT,
    last_window_end BIGINT,
    breaches VARCHAR NOT NULL,
    labels VARCHAR NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (stream, feature, rule_id)
  )`,
  `CREATE TABLE IF NOT EXISTS alert_history (
    stream VARCHAR NOT NULL,
    feature VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    from_state VARCHAR NOT NULL,
    to_state VARCHAR NOT NULL,
    severity VARCHAR,
    notification VARCHAR,
    breaches VARCHAR NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (stream, feature, rule_id, window_end)
  )`,
  `CREATE SEQUENCE IF NOT EXISTS outbox_seq`,
  `CREATE TABLE IF NOT EXISTS outbox (
    seq BIGINT NOT NULL DEFAULT nextval('outbox_seq'),
    id VARCHAR PRIMARY KEY,
    channel VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    payload VARCHAR NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error VARCHAR,
    sent_at BIGINT,
    dead_at BIGINT
  )`,
  `CREATE TABLE IF NOT EXISTS retrain_incidents (
    model VARCHAR PRIMARY KEY,
    open BOOLEAN NOT NULL,
    opened_at BIGINT,
    last_event_at BIGINT,
    last_event_key VARCHAR,
    updated_at BIGINT NOT NULL
  )`,
] as const;

export async function createAlertTables(conn: DuckDBConnection): Promise<void> {
  for (const sql of ALERT_DDL) await conn.run(sql);
}
