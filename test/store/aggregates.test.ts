/**
 * Window aggregates written by the store equal plain DuckDB SQL over the raw `events` rows
 * (count, missing counts, sum, mean, var_samp, min, max, quantile_cont, PSI bins, categories,
 * keyed aggregates), and every event is accounted for: counted in a window or recorded late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DriftStore } from '../../src/store/index.js';
import { windowMembershipSql } from '../../src/store/window-rows.js';
import { rows, scenario, storeFromScenario, tempDir, txSpec } from './fixtures.js';

const spec = txSpec();
const close = (a: unknown, b: unknown): void => {
  if (typeof a === 'number' && typeof b === 'number') {
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  } else {
    expect(a).toEqual(b);
  }
};

describe('window aggregates vs SQL over raw events', () => {
  let store: DriftStore;
  let conn: DuckDBConnection;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDir('agg');
    cleanup = t.cleanup;
    store = await storeFromScenario(`${t.dir}/dw.duckdb`, spec, scenario(21, 140));
    conn = await store.connect();
  });
  afterAll(async () => {
    conn.closeSync();
    await store.close();
    await cleanup();
  });

  const join = `FROM windows w JOIN events e ON e.stream = w.stream AND ${windowMembershipSql('e', 'w.window_start', 'w.window_end')}`;

  it('has enough closed windows, late events and missing values to mean something', async () => {
    const [s] = await rows(conn, `SELECT (SELECT count(*) FROM windows) AS w, (SELECT count(*) FROM late_events) AS l,
      (SELECT count(*) FROM events WHERE amount IS NULL OR isnan(amount) OR isinf(amount)) AS m`);
    expect(Number(s!.w)).toBeGreaterThan(20);
    expect(Number(s!.l)).toBeGreaterThan(20);
    expect(Number(s!.m)).toBeGreaterThan(20);
  });

  it('numeric features: counts, sum, mean, var_samp, min, max, quantiles, PSI bins', async () => {
    for (const f of spec.features.filter((x) => x.kind === 'numeric')) {
      const c = `e."${f.name}"`;
      const fin = `FILTER (WHERE isfinite(${c}))`;
      const edges = f.psiEdges === undefined ? null : Array.from(f.psiEdges);
      const bins = edges === null ? 'NULL' : `[${edges.concat([Infinity]).map((_, k) => `count(*) FILTER (WHERE isfinite(${c}) AND len(list_filter([${edges.join(',')}]::DOUBLE[], x -> x <= ${c})) = ${k})`).join(', ')}]`;
      const want = await rows(
        conn,
        `SELECT epoch_ms(w.window_start) AS ws, count(*) AS count, count(*) FILTER (WHERE ${c} IS NULL) AS null_count,
           count(*) FILTER (WHERE isnan(${c})) AS nan_count, count(*) FILTER (WHERE isinf(${c})) AS inf_count,
           coalesce(sum(${c}) ${fin}, 0) AS sum, avg(${c}) ${fin} AS mean, var_samp(${c}) ${fin} AS variance,
           min(${c}) ${fin} AS min, max(${c}) ${fin} AS max,
           quantile_cont(${c}, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]) ${fin} AS q, ${bins} AS bins
         ${join} GROUP BY ALL ORDER BY ws`,
      );
      const got = await rows(
        conn,
        `SELECT epoch_ms(window_start) AS ws, "count", null_count, nan_count, inf_count, "sum", mean, variance, "min", "max",
           CASE WHEN p50 IS NULL THEN NULL ELSE [p01, p05, p25, p50, p75, p95, p99] END AS q,
           psi_bin_counts::BIGINT[] AS bins
         FROM feature_windows WHERE feature = '${f.name}' ORDER BY ws`,
      );
      expect(want.length).toBeGreaterThan(20);
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => {
        const w = want[i]!;
        for (const k of Object.keys(w)) {
          if (k === 'q' && Array.isArray(w.q)) (w.q as number[]).forEach((v, j) => close((g.q as number[])[j], v));
          else if (k === 'bins' && edges === null) expect(g.bins).toBeNull();
          else close(g[k], w[k]);
        }
      });
    }
  });

  it('categorical features: category counts and nulls', async () => {
    const want = await rows(conn, `SELECT epoch_ms(w.window_start) AS ws, e.country AS c, count(*) AS n ${join} GROUP BY ALL ORDER BY ALL`);
    const got = await rows(
      conn,
      `SELECT ws, c, n FROM (
         SELECT epoch_ms(window_start) AS ws, unnest(json_keys(category_counts)) AS c, category_counts FROM feature_windows WHERE feature = 'country'
       ) t, LATERAL (SELECT (category_counts->>c)::BIGINT::VARCHAR AS n)
       UNION ALL SELECT epoch_ms(window_start), NULL, null_count::VARCHAR FROM feature_windows WHERE feature = 'country' AND null_count > 0
       ORDER BY ALL`,
    );
    expect(got).toEqual(want);
  });

  it('keyed aggregates per key per window', async () => {
    const want = await rows(
      conn,
      `SELECT epoch_ms(w.window_start) AS ws, e.customer_id AS k, count(*) AS events, count(*) FILTER (WHERE isfinite(e.amount)) AS n,
         avg(e.amount) FILTER (WHERE isfinite(e.amount)) AS mean
       ${join} WHERE e.customer_id IS NOT NULL GROUP BY ALL ORDER BY ws, k`,
    );
    const got = await rows(
      conn,
      `SELECT epoch_ms(window_start) AS ws, "key" AS k, events, n, value AS mean FROM keyed_windows
       WHERE aggregate = 'mean_amount_by_customer' ORDER BY ws, k`,
    );
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => Object.keys(want[i]!).forEach((k) => close(g[k], want[i]![k])));
    const counts = await rows(conn, `SELECT sum(value)::BIGINT AS s FROM keyed_windows WHERE aggregate = 'count_by_customer'`);
    const events = await rows(conn, `SELECT count(*) AS s ${join} WHERE e.customer_id IS NOT NULL`);
    expect(counts).toEqual(events);
  });

  it('every event of a closed window is counted in it or recorded late for it, never both', async () => {
    const [r] = await rows(
      conn,
      `WITH closed AS (SELECT * FROM windows),
       pairs AS (
         SELECT e.topic, e."partition", e."offset", c.window_start, c.window_end,
                (e.arrival_watermark IS NULL OR e.arrival_watermark < c.window_end) AS counted
         FROM events e JOIN closed c ON e.stream = c.stream AND e.event_time >= c.window_start AND e.event_time < c.window_end
       )
       SELECT
         count(*) FILTER (WHERE counted) AS counted,
         (SELECT sum(event_count) FROM windows) AS window_total,
         count(*) FILTER (WHERE NOT counted) AS not_counted,
         (SELECT count(*) FROM late_events l JOIN closed c USING (stream, window_start, window_end)) AS late_rows,
         count(*) FILTER (WHERE NOT counted AND NOT EXISTS (
           SELECT 1 FROM late_events l WHERE l.topic = pairs.topic AND l."partition" = pairs."partition" AND l."offset" = pairs."offset" AND l.window_start = pairs.window_start)) AS missing
       FROM pairs`,
    );
    expect(r!.counted).toBe(r!.window_total);
    expect(r!.missing).toBe('0');
    // late rows for windows that never closed with data are the only extra late rows
    const [extra] = await rows(conn, `SELECT count(*) AS n FROM late_events l ANTI JOIN windows w USING (stream, window_start, window_end)`);
    expect(Number(r!.late_rows) + Number(extra!.n)).toBe(Number((await rows(conn, 'SELECT count(*) AS n FROM late_events'))[0]!.n));
    expect(r!.not_counted).toBe(r!.late_rows);
  });
});
