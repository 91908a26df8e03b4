/**
 * Persistence adapter of the alert manager over a DuckDB connection. Every call is
 * serialised on the connection (a BEGIN … COMMIT must not interleave with the delivery
 * worker's updates), so give the alert store a connection of its own:
 * `await instance.connect()`.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { StoreError, errorMessage } from '../errors.js';
import type { AlertLevel, Breach } from '../rules/types.js';
import type { RetrainIncident } from '../retrain/types.js';
import { createAlertTables } from './ddl.js';
import type { AlertRecord, AlertState, NotificationKind } from './types.js';

export const OutboxKinds = { alert: 'alert', retrain: 'retrain' } as const;
export type OutboxKind = (typeof OutboxKinds)[keyof typeof OutboxKinds];

export interface OutboxInsert {
  readonly id: string;
  readonly channel: string;
  readonly kind: OutboxKind;
  readonly payload: unknown;
}

export interface OutboxRow {
  readonly seq: number;
  readonly id: string;
  readonly channel: string;
  readonly kind: OutboxKind;
  /** JSON text. */
  readonly payload: string;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly sentAt: number | null;
  /** Set when a channel refused the row for good (not retryable); it is not retried. */
  readonly deadAt: number | null;
}

export interface HistoryInsert {
  readonly record: AlertRecord;
  readonly windowStart: number;
  readonly fromState: AlertState;
  readonly notification: NotificationKind | null;
}

/** Everything one window changed; written in one transaction. */
export interface WindowCommit {
  readonly alerts: ReadonlyArray<{ readonly record: AlertRecord; readonly labels: Readonly<Record<string, string>> }>;
  readonly history: readonly HistoryInsert[];
  readonly outbox: readonly OutboxInsert[];
  readonly incidents: readonly RetrainIncident[];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class AlertStore {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(conn: DuckDBConnection): Promise<AlertStore> {
    try {
      await createAlertTables(conn);
    } catch (err) {
      throw new StoreError(`cannot create alert tables: ${errorMessage(err)}`, { cause: err });
    }
    return new AlertStore(conn);
  }

  /** Runs `fn` after every earlier call finished (one statement stream per connection). */
  private serial<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn).catch((err: unknown) => {
      throw err instanceof StoreError ? err : new StoreError(`alert store: ${what} failed: ${errorMessage(err)}`, { cause: err });
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  private async insertMany(prefix: string, rows: readonly DuckDBValue[][]): Promise<void> {
    if (rows.length === 0) return;
    const params: DuckDBValue[] = [];
    const tuples = rows.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await this.conn.run(`${prefix} ${tuples.join(', ')}`, params);
  }

  loadAlerts(): Promise<AlertRecord[]> {
    return this.serial('loading alerts', async () => {
      const rows = await this.rows('SELECT * FROM alerts ORDER BY stream, feature, rule_id');
      return rows.map((r) => ({
        stream: String(r.stream),
        feature: String(r.feature),
        ruleId: String(r.rule_id),
        state: r.state as AlertState,
        severity: (r.severity ?? null) as AlertLevel | null,
        overCount: Number(r.over_count),
        underCount: Number(r.under_count),
        firedAt: num(r.fired_at),
        lastNotifiedAt: num(r.last_notified_at),
        lastWindowEnd: num(r.last_window_end),
        breaches: JSON.parse(String(r.breaches)) as Breach[],
      }));
    });
  }

  loadIncidents(): Promise<RetrainIncident[]> {
    return this.serial('loading retrain incidents', async () => {
      const rows = await this.rows('SELECT * FROM retrain_incidents ORDER BY model');
      return rows.map((r) => ({
        model: String(r.model),
        open: Boolean(r.open),
        openedAt: num(r.opened_at),
        lastEventAt: num(r.last_event_at),
        lastEventKey: r.last_event_key === null ? null : String(r.last_event_key),
      }));
    });
  }

  /** Writes a window's state changes, history and outbox rows atomically. */
  commitWindow(change: WindowCommit, now: number): Promise<void> {
    return this.serial('committing a window', async () => {
      await this.conn.run('BEGIN TRANSACTION');
      try {
        // One multi-row statement per table: row-by-row statements cost ~10 ms each here.
        await this.insertMany(
          'INSERT OR REPLACE INTO alerts VALUES',
          change.alerts.map(({ record: a, labels }) => [
            a.stream, a.feature, a.ruleId, a.state, a.severity, a.overCount, a.underCount, a.firedAt, a.lastNotifiedAt,
            a.lastWindowEnd, JSON.stringify(a.breaches), JSON.stringify(labels), now,
          ]),
        );
        await this.insertMany(
          'INSERT OR IGNORE INTO alert_history VALUES',
          change.history.map(({ record: a, windowStart, fromState, notification }) => [
            a.stream, a.feature, a.ruleId, windowStart, a.lastWindowEnd, fromState, a.state, a.severity, notification,
            JSON.stringify(a.breaches), now,
          ]),
        );
        await this.insertMany(
          'INSERT OR IGNORE INTO outbox (id, channel, kind, payload, created_at, attempts, next_attempt_at) VALUES',
          change.outbox.map((o) => [o.id, o.channel, o.kind, JSON.stringify(o.payload), now, 0, now]),
        );
        await this.insertMany(
          'INSERT OR REPLACE INTO retrain_incidents VALUES',
          change.incidents.map((i) => [i.model, i.open, i.openedAt, i.lastEventAt, i.lastEventKey, now]),
        );
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Adds outbox rows outside a window commit (e.g. a manual retrain request). */
  enqueue(rows: readonly OutboxInsert[], now: number): Promise<void> {
    return this.commitWindow({ alerts: [], history: [], outbox: rows, incidents: [] }, now);
  }

  /** Undelivered rows, oldest first. */
  unsent(channel?: string): Promise<OutboxRow[]> {
    return this.serial('reading the outbox', async () => {
      const rows = await this.rows(
        `SELECT * FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL ${channel === undefined ? '' : 'AND channel = $1'} ORDER BY seq`,
        channel === undefined ? [] : [channel],
      );
      return rows.map(toOutboxRow);
    });
  }

  /** Every outbox row (for tests and `driftwatch` diagnostics). */
  allOutbox(): Promise<OutboxRow[]> {
    return this.serial('reading the outbox', async () => (await this.rows('SELECT * FROM outbox ORDER BY seq')).map(toOutboxRow));
  }

  markSent(id: string, at: number): Promise<void> {
    return this.serial('marking an outbox row sent', async () => {
      await this.conn.run('UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [id, at]);
    });
  }

  /** Records a failed attempt; `error` must already be redacted. */
  markFailed(id: string, nextAttemptAt: number, error: string): Promise<void> {
    return this.serial('recording a delivery failure', async () => {
      await this.conn.run('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1', [
        id, nextAttemptAt, error.slice(0, 2000),
      ]);
    });
  }

  /** Gives up on a row the channel refused for good; `error` must already be redacted. */
  markDead(id: string, at: number, error: string): Promise<void> {
    return this.serial('recording a refused notification', async () => {
      await this.conn.run('UPDATE outbox SET attempts = attempts + 1, dead_at = $2, last_error = $3 WHERE id = $1', [
        id, at, error.slice(0, 2000),
      ]);
    });
  }

  /** Waits for queued statements (before closing the connection). */
  async drain(): Promise<void> {
    await this.chain;
  }
}

function toOutboxRow(r: Record<string, unknown>): OutboxRow {
  return {
    seq: Number(r.seq),
    id: String(r.id),
    channel: String(r.channel),
    kind: r.kind as OutboxKind,
    payload: String(r.payload),
    createdAt: Number(r.created_at),
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error === null ? null : String(r.last_error),
    sentAt: num(r.sent_at),
    deadAt: num(r.dead_at),
  };
}
