/** Deterministic event streams and table dumps shared by the store tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StreamSpec } from '../../src/features/types.js';
import { openStore, type DriftStore } from '../../src/store/index.js';
import type { IngestedEvent, PartitionBatch } from '../../src/ingest/types.js';

export const TOPIC = 'tx-topic';
/** 2026-11-23T23:40:00Z: the data crosses midnight, so Parquet gets two date partitions. */
export const T0 = Date.UTC(2026, 10, 23, 23, 40);

export function txSpec(windows: Partial<StreamSpec['windows']> = {}): StreamSpec {
  return {
    name: 'tx',
    windows: { sizeMs: 120_000, slideMs: 60_000, allowedLatenessMs: 10_000, idleTimeoutMs: 15_000, ...windows },
    features: [
      { name: 'amount', kind: 'numeric', psiEdges: [5, 10, 20, 50, 100] },
      { name: 'device_score', kind: 'numeric' },
      { name: 'country', kind: 'categorical' },
    ],
    keyedAggregates: [
      { name: 'mean_amount_by_customer', key: 'customer_id', feature: 'amount', agg: 'mean' },
      { name: 'count_by_customer', key: 'customer_id', feature: 'amount', agg: 'count' },
    ],
  };
}

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Scenario {
  readonly batches: PartitionBatch[];
  /** Wall clock at each batch (ms). */
  readonly nows: number[];
}

/**
 * Two partitions with different event-time speeds; partition 1 goes silent for a while (idle),
 * ~10% of events are out of order and ~3% are minutes late; values include null, absent, NaN, ±Inf.
 */
export function scenario(seed: number, batchCount: number, stream = 'tx', maxBatchEvents = 25): Scenario {
  const r = rng(seed);
  const head = [T0, T0];
  const nextOffset = [0, 0];
  const batches: PartitionBatch[] = [];
  const nows: number[] = [];
  const countries = ['FR', 'DE', 'US', 'GB', 'ES'];
  for (let b = 0; b < batchCount; b++) {
    const silent = b > batchCount * 0.4 && b < batchCount * 0.6;
    const partition = silent || r() < 0.6 ? 0 : 1;
    const n = 1 + Math.floor(r() * maxBatchEvents);
    const events: IngestedEvent[] = [];
    for (let i = 0; i < n; i++) {
      head[partition]! += Math.floor(r() * (partition === 0 ? 4_000 : 2_500));
      let t = head[partition]!;
      const u = r();
      if (u < 0.1) t -= Math.floor(r() * 40_000);
      else if (u < 0.13) t -= 150_000 + Math.floor(r() * 200_000);
      const v = r();
      const amount = v < 0.04 ? null : v < 0.06 ? undefined : v < 0.07 ? NaN : v < 0.075 ? Infinity : Math.round(Math.exp(r() * 5) * 100) / 100;
      const fields: Record<string, unknown> = {
        transaction_id: `t${partition}-${nextOffset[partition]}`,
        customer_id: r() < 0.05 ? null : `c${Math.floor(r() * 40)}`,
        device_score: r() < 0.1 ? null : Math.round(r() * 1e4) / 1e4,
        country: r() < 0.05 ? null : countries[Math.floor(r() * countries.length)],
        event_time: t,
      };
      if (amount !== undefined) fields.amount = amount;
      events.push({
        stream,
        topic: TOPIC,
        partition,
        offset: String(nextOffset[partition]!++),
        eventTime: t,
        kafkaTimestamp: t + 5,
        key: `k${i}`,
        fields,
      });
    }
    batches.push({ topic: TOPIC, partition, events, nextOffset: String(nextOffset[partition]) });
    nows.push(1_000_000 + b * 1_000);
  }
  return { batches, nows };
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `dw-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Rows of `sql` as JSON-safe objects (bigints → numbers, timestamps → epoch ms). */
export async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const r = await conn.runAndReadAll(sql);
  return r.getRowObjectsJson() as Record<string, unknown>[];
}

/** Every durable result, minus wall-clock bookkeeping columns, in a stable order. */
export async function dumpResults(conn: DuckDBConnection): Promise<Record<string, Record<string, unknown>[]>> {
  return {
    events: await rows(conn, `SELECT * EXCLUDE (ingested_at) FROM events ORDER BY topic, "partition", "offset"`),
    ingest_offsets: await rows(conn, `SELECT * EXCLUDE (updated_at) FROM ingest_offsets ORDER BY ALL`),
    windows: await rows(conn, `SELECT * EXCLUDE (closed_at, evaluated_at), evaluated_at IS NOT NULL AS evaluated FROM windows ORDER BY ALL`),
    feature_windows: await rows(conn, `SELECT * EXCLUDE (closed_at) FROM feature_windows ORDER BY stream, window_start, window_end, feature`),
    keyed_windows: await rows(conn, `SELECT * FROM keyed_windows ORDER BY ALL`),
    late_events: await rows(conn, `SELECT * EXCLUDE (recorded_at) FROM late_events ORDER BY ALL`),
    drift_results: await rows(conn, `SELECT * EXCLUDE (evaluated_at) FROM drift_results ORDER BY ALL`),
    window_state: await rows(conn, `SELECT stream, watermark FROM window_state ORDER BY ALL`),
  };
}

/** Opens a store at `path` and writes every batch of `sc`, advancing the store's clock as the scenario says. */
export async function storeFromScenario(path: string, spec: StreamSpec, sc: Scenario): Promise<DriftStore> {
  let now = 0;
  const store = await openStore(path, { streams: [spec], clock: () => now });
  for (let i = 0; i < sc.batches.length; i++) {
    now = sc.nows[i]!;
    await store.write(sc.batches[i]!);
  }
  return store;
}
