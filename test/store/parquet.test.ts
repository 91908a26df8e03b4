import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DriftStore } from '../../src/store/index.js';
import { T0, rows, scenario, storeFromScenario, tempDir, txSpec } from './fixtures.js';

describe('Parquet export', () => {
  let store: DriftStore;
  let conn: DuckDBConnection;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('parquet'));
    store = await storeFromScenario(join(dir, 'dw.duckdb'), txSpec({ sizeMs: 300_000, slideMs: 300_000 }), scenario(4, 110, 'tx', 40));
    conn = await store.connect();
  });
  afterAll(async () => {
    conn.closeSync();
    await store.close();
    await cleanup();
  });

  const out = () => join(dir, 'export');
  const readBack = (table: string) =>
    `SELECT * EXCLUDE (date), date::VARCHAR AS date FROM read_parquet('${out()}/${table}/**/*.parquet', hive_partitioning = true)`;

  it('writes Hive partitions by stream and UTC date, zstd, and reads back equal to the tables', async () => {
    const res = await store.exportParquet(out());
    const rel = res.files.map((f) => f.slice(out().length + 1));
    expect(rel).toEqual([
      'events/stream=tx/date=2026-11-23/part-0.parquet',
      'events/stream=tx/date=2026-11-24/part-0.parquet',
      'feature_windows/stream=tx/date=2026-11-23/part-0.parquet',
      'feature_windows/stream=tx/date=2026-11-24/part-0.parquet',
    ]);
    const [counts] = await rows(conn, `SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM feature_windows) AS w`);
    expect([res.eventRows, res.windowRows]).toEqual([Number(counts!.e), Number(counts!.w)]);
    expect(res.windowRows).toBeGreaterThan(20);

    const events = `SELECT * EXCLUDE (date) FROM (${readBack('events')}) ORDER BY topic, "partition", "offset"`;
    const table = `SELECT stream, topic, "partition", "offset", event_time, kafka_ts, "key", batch_seq, arrival_watermark, ingested_at, payload,
      amount, device_score, country, customer_id FROM events ORDER BY topic, "partition", "offset"`;
    const back = await rows(conn, `SELECT stream, topic, "partition", "offset", event_time, kafka_ts, "key", batch_seq, arrival_watermark, ingested_at, payload,
      amount, device_score, country, customer_id FROM (${events})`);
    expect(back).toEqual(await rows(conn, table));
    // the date partition is the event's UTC date
    expect(await rows(conn, `SELECT count(*) AS n FROM (${readBack('events')}) WHERE strftime(event_time, '%Y-%m-%d') <> date`)).toEqual([{ n: '0' }]);

    const fw = await rows(conn, `SELECT * EXCLUDE (date) FROM (${readBack('feature_windows')}) ORDER BY window_start, window_end, feature`);
    expect(fw).toEqual(await rows(conn, `SELECT * FROM feature_windows ORDER BY window_start, window_end, feature`));

    const codecs = await rows(conn, `SELECT DISTINCT compression FROM parquet_metadata('${out()}/**/*.parquet')`);
    expect(codecs).toEqual([{ compression: 'ZSTD' }]);
  });

  it('is idempotent: re-exporting replaces files, never duplicates rows, leaves no temp files', async () => {
    const a = await store.exportParquet(out());
    const b = await store.exportParquet(out());
    expect(b.files).toEqual(a.files);
    expect(await rows(conn, `SELECT count(*) AS n FROM (${readBack('events')})`)).toEqual(await rows(conn, `SELECT count(*) AS n FROM events`));
    expect((await readdir(out())).sort()).toEqual(['events', 'feature_windows']);
  });

  it('since: rewrites only partitions from that date on', async () => {
    const res = await store.exportParquet(out(), { since: T0 + 3_600_000 });
    expect(res.files.map((f) => f.slice(out().length + 1))).toEqual([
      'events/stream=tx/date=2026-11-24/part-0.parquet',
      'feature_windows/stream=tx/date=2026-11-24/part-0.parquet',
    ]);
    expect(res.eventRows).toBe(Number((await rows(conn, `SELECT count(*) AS n FROM events WHERE event_time >= '2026-11-24'`))[0]!.n));
    // the other day's files are still there and whole
    expect(await rows(conn, `SELECT count(*) AS n FROM (${readBack('events')})`)).toEqual(await rows(conn, `SELECT count(*) AS n FROM events`));
  });
});
