import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ErrorCodes, StoreError } from '../../src/errors.js';
import type { ClosedWindow } from '../../src/features/types.js';
import type { PartitionBatch } from '../../src/ingest/types.js';
import { openStore, type DriftStore, type LateEvent } from '../../src/store/index.js';
import { T0, TOPIC, rows, scenario, tempDir, txSpec } from './fixtures.js';

const ev = (partition: number, offset: number, eventTime: number, fields: Record<string, unknown> = {}) => ({
  stream: 'tx',
  topic: TOPIC,
  partition,
  offset: String(offset),
  eventTime,
  kafkaTimestamp: eventTime,
  key: null,
  fields: { amount: 10, country: 'FR', customer_id: 'c1', device_score: 0.5, ...fields },
});
const batch = (partition: number, events: ReturnType<typeof ev>[], nextOffset?: number): PartitionBatch => ({
  topic: TOPIC,
  partition,
  events,
  nextOffset: String(nextOffset ?? Number(events[events.length - 1]!.offset) + 1),
});

describe('DriftStore', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: DriftStore | undefined;
  let now = 0;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('store'));
    now = 1_000;
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await cleanup();
  });
  const open = (extra: Parameters<typeof openStore>[1] = {}) => openStore(`${dir}/nested/dir/dw.duckdb`, { streams: [txSpec({ sizeMs: 60_000, slideMs: 60_000, allowedLatenessMs: 0 })], clock: () => now, ...extra });

  it('creates directories and tables, stores events with typed columns, and skips replayed offsets', async () => {
    store = await open();
    await store.write(batch(0, [ev(0, 0, T0, { amount: 12.5 }), ev(0, 1, T0 + 1, { amount: null, country: 3 })]));
    const conn = await store.connect();
    expect(await rows(conn, `SELECT "offset", amount, country, payload->>'country' AS pc FROM events ORDER BY "offset"`)).toEqual([
      { offset: '0', amount: 12.5, country: 'FR', pc: 'FR' },
      { offset: '1', amount: null, country: '3', pc: '3' },
    ]);
    expect(await store.storedOffsets(TOPIC)).toEqual(new Map([[0, '2']]));
    // full replay: nothing changes
    await store.write(batch(0, [ev(0, 0, T0), ev(0, 1, T0 + 1)]));
    // overlapping replay: only offset 2 is new
    await store.write(batch(0, [ev(0, 1, T0 + 1), ev(0, 2, T0 + 2)]));
    expect(await rows(conn, `SELECT count(*) AS n, max("offset") AS m FROM events`)).toEqual([{ n: '3', m: '2' }]);
    expect(await store.storedOffsets(TOPIC)).toEqual(new Map([[0, '3']]));
    // an empty batch (all messages invalid) still advances the offset
    await store.write({ topic: TOPIC, partition: 1, events: [], nextOffset: '17' });
    expect(await store.storedOffsets(TOPIC)).toEqual(new Map([[0, '3'], [1, '17']]));
    conn.closeSync();
  });

  it('closes windows in the transaction of the batch that closed them and notifies listeners after commit', async () => {
    const seen: ClosedWindow[][] = [];
    store = await open({ listeners: [{ onWindowsClosed: (c) => void seen.push([...c]) }] });
    await store.write(batch(0, [ev(0, 0, T0 + 1_000, { amount: 1 }), ev(0, 1, T0 + 2_000, { amount: 3 }), ev(0, 2, T0 + 3_000, { amount: NaN })]));
    expect(seen).toEqual([]);
    expect(store.openWindows('tx')).toEqual([[T0, T0 + 60_000]]);
    await store.write(batch(0, [ev(0, 3, T0 + 60_000, { amount: 100 })]));
    expect(seen).toHaveLength(1);
    const w = seen[0]![0]!;
    expect([w.stream, w.start, w.end, w.eventCount]).toEqual(['tx', T0, T0 + 60_000, 3]);
    const amount = w.features[0]!;
    expect(amount.kind === 'numeric' && [amount.count, amount.nanCount, amount.mean, amount.variance, amount.min, amount.max]).toEqual([3, 1, 2, 2, 1, 3]);
    const q = amount.kind === 'numeric' ? amount.quantiles : null;
    const want = { p01: 1.02, p05: 1.1, p25: 1.5, p50: 2, p75: 2.5, p95: 2.9, p99: 2.98 };
    for (const [k, v] of Object.entries(want)) expect(q?.[k as keyof typeof want]).toBeCloseTo(v, 12);
    expect(amount.kind === 'numeric' && amount.psiBinCounts).toEqual([2, 0, 0, 0, 0, 0]);
    // the listener got exactly what reading the store back gives
    expect(await store.closedWindows()).toEqual(seen[0]);
    expect(await store.unevaluatedWindows('tx')).toEqual(seen[0]);
    await store.recordEvaluation({ stream: 'tx', start: T0, end: T0 + 60_000 }, [
      { stream: 'tx', windowStart: T0, windowEnd: T0 + 60_000, feature: 'amount', metric: 'psi', value: 0.3, threshold: 0.1, status: 'critical' },
    ]);
    expect(await store.unevaluatedWindows()).toEqual([]);
  });

  it('records late events with their coordinates and payload, never drops them', async () => {
    const late: LateEvent[] = [];
    store = await open({ lateEventHook: (l) => void late.push(...l) });
    await store.write(batch(0, [ev(0, 0, T0 + 1_000), ev(0, 1, T0 + 61_000), ev(0, 2, T0 + 5_000, { amount: 77 })]));
    const conn = await store.connect();
    expect(await rows(conn, `SELECT topic, "partition", "offset", epoch_ms(event_time) AS t, epoch_ms(window_start) AS ws, epoch_ms(watermark) AS wm, payload->>'amount' AS amount FROM late_events`)).toEqual([
      { topic: TOPIC, partition: 0, offset: '2', t: String(T0 + 5_000), ws: String(T0), wm: String(T0 + 61_000), amount: '77' },
    ]);
    expect(await rows(conn, `SELECT epoch_ms(window_start) AS ws, late_count FROM late_counts`)).toEqual([{ ws: String(T0), late_count: '1' }]);
    // the late event is kept in events but not counted in the closed window
    expect(await rows(conn, `SELECT count(*) AS n FROM events`)).toEqual([{ n: '3' }]);
    expect(await rows(conn, `SELECT "count" FROM feature_windows WHERE feature = 'amount'`)).toEqual([{ count: '1' }]);
    expect(late.map((l) => [l.event.offset, l.windowStart])).toEqual([['2', T0]]);
    // windowSample of the closed window excludes it too
    const s = await store.windowSample('tx', T0, T0 + 60_000, 'amount');
    expect(s.kind === 'numeric' && Array.from(s.values)).toEqual([10]);
    conn.closeSync();
  });

  it('windowSample returns finite values and missing counts, or category counts', async () => {
    store = await open();
    await store.write(
      batch(0, [
        ev(0, 0, T0, { amount: 1.5, country: 'FR' }),
        ev(0, 1, T0 + 1, { amount: null, country: null }),
        ev(0, 2, T0 + 2, { amount: NaN, country: 'DE' }),
        ev(0, 3, T0 + 3, { amount: -Infinity, country: 'FR' }),
        ev(0, 4, T0 + 4, { amount: 4, country: 'FR' }),
        ev(0, 5, T0 + 60_000, { amount: 1000 }),
      ]),
    );
    const num = await store.windowSample('tx', T0, T0 + 60_000, 'amount');
    expect(num).toEqual({ kind: 'numeric', values: new Float64Array([1.5, 4]), nullCount: 1, nanCount: 1, infCount: 1 });
    const cat = await store.windowSample('tx', T0, T0 + 60_000, 'country');
    expect(cat.kind === 'categorical' && [...cat.categories].sort()).toEqual([['DE', 1], ['FR', 3]]);
    expect(cat.nullCount).toBe(1);
    const keyed = await store.keyedSample('tx', T0, T0 + 60_000, 'mean_amount_by_customer');
    expect(keyed).toEqual({ kind: 'numeric', values: new Float64Array([2.75]), nullCount: 0, nanCount: 0, infCount: 0 });
    await expect(store.windowSample('tx', T0, T0 + 60_000, 'nope')).rejects.toBeInstanceOf(ConfigError);
  });

  it('writeDriftResults is an idempotent upsert', async () => {
    store = await open();
    const r = { stream: 'tx', windowStart: T0, windowEnd: T0 + 60_000, feature: 'amount', metric: 'psi', value: 0.2, threshold: 0.1, status: 'warn' };
    await store.writeDriftResults([r, { ...r, metric: 'ks_statistic', value: 0.05, threshold: null, status: 'ok' }]);
    await store.writeDriftResults([{ ...r, value: 0.25, status: 'critical' }]);
    await store.writeDriftResults([{ ...r, value: 0.25, status: 'critical' }]);
    const conn = await store.connect();
    expect(await rows(conn, `SELECT metric, value, threshold, status FROM drift_results ORDER BY metric`)).toEqual([
      { metric: 'ks_statistic', value: 0.05, threshold: null, status: 'ok' },
      { metric: 'psi', value: 0.25, threshold: 0.1, status: 'critical' },
    ]);
    conn.closeSync();
  });

  it('tick closes windows held open by an idle partition', async () => {
    store = await open();
    await store.write(batch(1, [ev(1, 0, T0 + 1_000)]));
    await store.write(batch(0, [ev(0, 0, T0 + 2_000), ev(0, 1, T0 + 200_000)]));
    expect(store.openWindows('tx')).toEqual([[T0, T0 + 60_000], [T0 + 180_000, T0 + 240_000]]);
    now += 14_999;
    expect(await store.tick()).toEqual([]);
    now += 1;
    const closed = await store.tick();
    expect(closed.map((w) => [w.start, w.eventCount])).toEqual([[T0, 2]]);
    expect(store.watermark('tx')).toBe(T0 + 200_000);
    await store.close();
    store = await open();
    expect(store.watermark('tx')).toBe(T0 + 200_000);
    expect((await store.closedWindows()).map((w) => w.start)).toEqual([T0]);
  });

  it('a failed transaction rolls back and rebuilds memory; the retried batch then gives the clean result', async () => {
    store = await open();
    await store.write(batch(0, [ev(0, 0, T0 + 1_000, { amount: 5 })]));
    // sabotage: a row with the primary key the closing window will need
    const conn = await store.connect();
    await conn.run(`INSERT INTO windows VALUES ('tx', epoch_ms(${T0}), epoch_ms(${T0 + 60_000}), 0, now(), NULL)`);
    const closing = batch(0, [ev(0, 1, T0 + 2_000, { amount: 7 }), ev(0, 2, T0 + 60_000)]);
    const err = await store.write(closing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe(ErrorCodes.STORE_FAILED);
    expect((err as StoreError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/tx-topic\[0\] up to offset 3/);
    expect(await rows(conn, `SELECT count(*) AS n FROM events`)).toEqual([{ n: '1' }]);
    expect(await store.storedOffsets(TOPIC)).toEqual(new Map([[0, '1']]));
    expect(store.openWindows('tx')).toEqual([[T0, T0 + 60_000]]);
    await conn.run(`DELETE FROM windows`);
    await store.write(closing);
    expect(await rows(conn, `SELECT "count", mean FROM feature_windows WHERE feature = 'amount'`)).toEqual([{ count: '2', mean: 6 }]);
    conn.closeSync();
  });

  it('rejects what it cannot store, naming the culprit', async () => {
    store = await open();
    await expect(store.write(batch(0, [{ ...ev(0, 0, T0), stream: 'other' }]))).rejects.toThrow(/tx-topic\[0\] offset 0: event of stream 'other'/);
    await expect(store.write(batch(0, [ev(0, 0, T0)], Number.NaN))).rejects.toThrow(/nextOffset: 'NaN' is not a Kafka offset/);
    await expect(store.write(batch(0, [ev(0, 0, Number.NaN)]))).rejects.toThrow(/tx-topic\[0\] offset 0: event time NaN/);
    await store.close();
    store = undefined;
    const bad = { ...txSpec(), features: [{ name: 'offset', kind: 'numeric' as const }] };
    await expect(openStore(`${dir}/dw.duckdb`, { streams: [bad] })).rejects.toThrow(/field 'offset' clashes with the built-in column/);
    const a = { ...txSpec(), features: [{ name: 'amount', kind: 'categorical' as const }], keyedAggregates: [] };
    await expect(openStore(`${dir}/nested/dir/dw.duckdb`, { streams: [a] })).rejects.toThrow(/events\.amount is DOUBLE but the config now needs VARCHAR/);
    await expect(openStore(`${dir}/x.duckdb`, { streams: [txSpec(), txSpec()] })).rejects.toThrow(/duplicate stream name/);
  });

  it('metrics hooks see stored, late and closed counts', async () => {
    const m = { stored: 0, late: 0, closed: [] as number[] };
    store = await open({
      metrics: { eventsStored: (_s, n) => (m.stored += n), lateEvents: (_s, n) => (m.late += n), windowClosed: (_s, lat) => m.closed.push(lat) },
    });
    const { batches } = scenario(5, 30);
    for (const b of batches) await store.write(b);
    expect(m.stored).toBe(batches.reduce((a, b) => a + b.events.length, 0));
    expect(m.late).toBeGreaterThan(0);
    expect(m.closed.length).toBe((await store.closedWindows()).length);
  });
});
