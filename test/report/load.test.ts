import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaselineProfile, NumericBaseline } from '../../src/drift/types.js';
import { InputError, InputNotFoundError, StoreError } from '../../src/errors.js';
import { loadReportData } from '../../src/report/load.js';
import { renderReport } from '../../src/report/render.js';
import type { ReportData } from '../../src/report/types.js';
import { HOUR, T0, sampleReportData } from './sample-data.js';
import { WINDOW_ROWS, writeStore } from './store-fixture.js';

let dir: string;
let db: string;
const sample = sampleReportData();
const other: ReportData = { ...sample, stream: 'orders', features: sample.features.slice(0, 1), alerts: [] };

/** A baseline whose amount edges are the ones the windows' bin counts were made with. */
function baselineFor(data: ReportData): BaselineProfile {
  const amount = data.features.find((f) => f.name === 'amount')!;
  const edges = amount.baseline!.kind === 'numeric' ? amount.baseline!.edges : [];
  const sorted = Float64Array.from({ length: 1000 }, (_, i) => 10 + (i / 1000) * 100).sort();
  const nb: NumericBaseline = {
    kind: 'numeric',
    name: 'amount',
    rowCount: 1010,
    finiteCount: 1000,
    nullCount: 10,
    nanCount: 0,
    infCount: 0,
    sorted,
    sampled: false,
    psiBins: 10,
    psiEdges: Float64Array.from(edges),
  };
  return { id: 'b-test', source: 'train.csv', createdAt: '2026-11-01T00:00:00Z', features: new Map([['amount', nb]]) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dw-report-load-'));
  db = join(dir, 'driftwatch.duckdb');
  await writeStore(db, [sample, other]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadReportData (real DuckDB file, store + alert DDL)', () => {
  it('reads series, null rates, latest-window histograms and alert transitions', async () => {
    const data = await loadReportData(db, { stream: 'transactions', baseline: baselineFor(sample), now: () => 42 });
    expect(data).toMatchObject({ stream: 'transactions', generatedAt: 42, windowMs: HOUR, baselineId: 'b-test', source: db });
    expect(data.features.map((f) => f.name)).toEqual(['amount', 'country', 'customer_age', 'device_score', 'hour_of_day', 'merchant_category']);
    for (const f of data.features) {
      const want = sample.features.find((s) => s.name === f.name)!;
      const sortKey = (p: { windowStart: number; metric: string }): string => `${p.windowStart}:${p.metric}`;
      expect([...f.series].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual([...want.series].sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
      expect(f.kind).toBe(want.kind);
      expect(f.nullRate).toHaveLength(want.nullRate.length);
      f.nullRate.forEach((p, i) => {
        expect(p.windowStart).toBe(want.nullRate[i]!.windowStart);
        expect(p.value).toBeCloseTo(Math.round(want.nullRate[i]!.value * WINDOW_ROWS) / WINDOW_ROWS, 12);
      });
    }
    const amount = data.features[0]!;
    expect(amount.baseline).toMatchObject({ kind: 'numeric', count: 1000 });
    expect(amount.baselineNullRate).toBeCloseTo(10 / 1010, 12);
    expect(amount.current?.kind).toBe('numeric');
    const wantCur = sample.features[0]!.current!;
    if (amount.current?.kind === 'numeric' && wantCur.kind === 'numeric') {
      amount.current.proportions.forEach((p, i) => expect(p).toBeCloseTo(wantCur.proportions[i]!, 3));
    }
    expect(amount.currentLabel).toBe('window 2026-11-22 23:00 – 2026-11-23 00:00 UTC');
    expect(Object.keys(amount.thresholds).sort()).toEqual(['jensen_shannon', 'ks_statistic', 'null_rate_increase', 'psi', 'wasserstein_normed']);
    // Without a baseline profile, a numeric window's bin counts have no edges to be drawn on.
    expect(data.features.find((f) => f.name === 'customer_age')!.current).toBeUndefined();
    const cat = data.features.find((f) => f.name === 'merchant_category')!;
    expect(cat.current?.kind === 'categorical' && cat.current.categories.find((c) => c.name === 'gaming')?.proportion).toBeCloseTo(0.11, 3);
    expect(cat.baseline).toBeUndefined();

    expect(data.alerts).toEqual([
      { time: T0 + HOUR, feature: 'amount', state: 'pending', severity: 'warn' },
      ...sample.alerts.map((a) => ({ time: a.time, feature: a.feature, state: a.state, severity: a.severity })),
    ].sort((a, b) => a.time - b.time || a.feature.localeCompare(b.feature)));
    expect(renderReport(data)).toContain('class="alert-bar alert-critical"');
  });

  it('filters windows and alerts by time range', async () => {
    const from = T0 + 24 * HOUR;
    const to = T0 + 36 * HOUR;
    const data = await loadReportData(db, { stream: 'transactions', from, to });
    expect(data.from).toBe(from);
    const starts = new Set(data.features.flatMap((f) => f.series.map((p) => p.windowStart)));
    expect(starts.size).toBe(12);
    expect(Math.min(...starts)).toBe(from);
    expect(Math.max(...starts)).toBe(to - HOUR);
    expect(data.alerts.map((a) => [a.feature, a.state])).toEqual([
      ['device_score', 'resolved'],
      ['amount', 'firing'],
    ]);
  });

  it('uses threshold lines from the caller (e.g. the rule files)', async () => {
    const data = await loadReportData(db, {
      stream: 'orders',
      thresholds: (feature, stream) => ({ psi: { warn: feature.length / 100, critical: 0.5, direction: 'higher-means-drift' }, [`${stream}_x`]: { direction: 'higher-means-drift' } }),
    });
    expect(data.features.map((f) => [f.name, f.thresholds])).toEqual([['amount', { psi: { warn: 0.06, critical: 0.5, direction: 'higher-means-drift' } }]]);
  });

  it('asks for --stream when the file holds several, and names the streams', async () => {
    await expect(loadReportData(db)).rejects.toThrow(InputError);
    await expect(loadReportData(db)).rejects.toThrow(/several streams \(orders, transactions\): choose one with --stream/);
    await expect(loadReportData(db, { stream: 'nope' })).rejects.toThrow(/no results for stream 'nope' \(streams: orders, transactions\)/);
  });

  it('refuses missing files and files that are not driftwatch stores', async () => {
    await expect(loadReportData(join(dir, 'missing.duckdb'))).rejects.toThrow(InputNotFoundError);
    const junk = join(dir, 'junk.duckdb');
    await writeFile(junk, 'not a database');
    await expect(loadReportData(junk)).rejects.toThrow(StoreError);
    const emptyDb = join(dir, 'empty.duckdb');
    const inst = await DuckDBInstance.create(emptyDb);
    inst.closeSync();
    await expect(loadReportData(emptyDb)).rejects.toThrow(/neither a drift_results nor a feature_windows table/);
  });

  it('reads a store held open by a running driftwatch (write lock) from a snapshot', async () => {
    const live = join(dir, 'live.duckdb');
    await writeStore(live, [other]);
    // Another process holds the read-write lock, like `driftwatch run` would.
    const holder = spawn(process.execPath, ['-e', `
      const { DuckDBInstance } = require(${JSON.stringify(createRequire(import.meta.url).resolve('@duckdb/node-api'))});
      DuckDBInstance.create(${JSON.stringify(live)}).then(async (i) => { await i.connect(); process.stdout.write('locked\\n'); setInterval(() => {}, 1000); });
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (b: Buffer) => (b.toString().includes('locked') ? resolve() : undefined));
        holder.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
      const data = await loadReportData(live);
      expect(data.stream).toBe('orders');
      expect(data.features[0]!.series.length).toBeGreaterThan(0);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('reads the documented minimal shape: BIGINT epoch-ms times and an alerts table without history', async () => {
    const path = join(dir, 'minimal.duckdb');
    const inst = await DuckDBInstance.create(path);
    const conn = await inst.connect();
    await conn.run(`
      CREATE TABLE drift_results (stream VARCHAR, window_start BIGINT, window_end BIGINT, feature VARCHAR, metric VARCHAR, value DOUBLE, threshold DOUBLE, status VARCHAR);
      INSERT INTO drift_results VALUES ('s', 0, 600000, 'x', 'psi', 0.05, 0.1, 'ok'), ('s', 600000, 1200000, 'x', 'psi', 0.3, 0.25, 'critical'),
        ('s', 600000, 1200000, 'x', 'ks_pvalue', 1e-9, NULL, 'weird-status');
      CREATE TABLE alerts (stream VARCHAR, feature VARCHAR, state VARCHAR, severity VARCHAR, fired_at BIGINT, updated_at BIGINT);
      INSERT INTO alerts VALUES ('s', 'x', 'resolved', 'critical', 1200000, 1800000), ('s', 'y', 'ok', NULL, NULL, 5);
    `);
    conn.closeSync();
    inst.closeSync();
    const data = await loadReportData(path);
    expect(data.stream).toBe('s');
    expect(data.windowMs).toBe(600_000);
    expect(data.features).toEqual([
      {
        name: 'x',
        kind: 'numeric',
        series: [
          { windowStart: 0, metric: 'psi', value: 0.05, status: 'ok' },
          { windowStart: 600000, metric: 'ks_pvalue', value: 1e-9, status: 'ok' },
          { windowStart: 600000, metric: 'psi', value: 0.3, status: 'critical' },
        ],
        thresholds: { psi: { warn: 0.1, critical: 0.25, direction: 'higher-means-drift' } },
        nullRate: [],
      },
    ]);
    expect(data.alerts).toEqual([
      { time: 1_200_000, feature: 'x', state: 'firing', severity: 'critical' },
      { time: 1_800_000, feature: 'x', state: 'resolved', severity: 'critical' },
    ]);
    expect(renderReport(data)).toContain('x: critical from 1970-01-01 00:20 UTC to 1970-01-01 00:30 UTC');
  });
});
