/**
 * The evaluation stage on a real DuckDB store and a real alert manager (with an in-process
 * recording channel): windows closed by ingested batches get drift_results, gauges, one
 * grouped notification and evaluated_at; a restart evaluates what closed but was not
 * evaluated, ending where an uninterrupted run ends.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.js';
import type { Baseline } from '../../src/baseline/types.js';
import type { StreamConfig } from '../../src/config/types.js';
import { createMetrics } from '../../src/http/metrics.js';
import { EvaluationQueue, windowFiles } from '../../src/pipeline/evaluation-queue.js';
import type { EvaluatedWindow } from '../../src/pipeline/evaluation-queue.js';
import { streamSpecs } from '../../src/pipeline/inputs.js';
import { createLogger } from '../../src/pipeline/logger.js';
import { loadRules } from '../../src/rules/load.js';
import type { RuleSet } from '../../src/rules/types.js';
import type { PartitionBatch } from '../../src/ingest/types.js';
import { openStore } from '../../src/store/index.js';
import type { DriftStore } from '../../src/store/index.js';
import { RecordingSink, until } from '../alerts/helpers.js';
import { rulesDir } from '../rules/helpers.js';
import { DEMO_DRIFT, T0, baselineDir, batchOf, tempDir, transactions } from './helpers.js';

const MIN = 60_000;
const WINDOW = 10 * MIN;
let baseline: Baseline;
let baselinePath: string;
let rules: RuleSet;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(async () => {
  const dir = await tempDir();
  ({ baseline, path: baselinePath } = await baselineDir(dir, transactions(5_000, 11, T0 - 30 * 86_400_000, 30 * 86_400_000)));
  rules = loadRules(
    rulesDir({
      '_defaults.yaml': 'tests:\n  psi: { warn: 0.15, critical: 0.25 }\n  jensen_shannon: { warn: 0.15, critical: 0.3 }\nmin_samples: 50\nfire_after: 2\nrepeat_interval: 1d\n',
      'amount.yaml': 'feature: amount\nretrain: { on: critical, model: fraud }\n',
    }),
  );
});

function streamConfig(): StreamConfig {
  return {
    name: 'tx',
    topic: 'tx-topic',
    encoding: 'json',
    schemaIds: {},
    dlqTopic: 'tx-topic.dlq',
    extraFields: 'allow',
    windows: { sizeMs: WINDOW, slideMs: WINDOW, allowedLatenessMs: MIN, idleTimeoutMs: 3_600_000 },
    categorical: [],
    keyedAggregates: [],
    baseline: baselinePath,
  };
}

/** Windows 0–3 stable, 4–5 with amount ×1.8 and the online shift; one event at 62 min closes window 5. */
function batches(): PartitionBatch[] {
  const out: PartitionBatch[] = [];
  let offset = 0;
  for (let w = 0; w < 6; w++) {
    const rows = transactions(300, 100 + w, T0 + w * WINDOW, WINDOW, w >= 4 ? DEMO_DRIFT : undefined);
    out.push(batchOf('tx', 'tx-topic', 0, offset, rows));
    offset += rows.length;
  }
  out.push(batchOf('tx', 'tx-topic', 0, offset, transactions(1, 999, T0 + 62 * MIN, 1)));
  return out;
}

interface Rig {
  store: DriftStore;
  queue: EvaluationQueue;
  sink: RecordingSink;
  alerts: AlertManager;
  evaluated: EvaluatedWindow[];
  metrics: ReturnType<typeof createMetrics>;
}

async function rig(dbPath: string, parquetDir: string, withQueue: boolean): Promise<Rig> {
  const [spec] = streamSpecs([streamConfig()], new Map([['tx', baseline]]));
  const store = await openStore(dbPath, { streams: [spec!] });
  const conn = await store.connect();
  const sink = new RecordingSink('audit');
  const alerts = await AlertManager.open({ conn, rules, sinks: [sink] });
  const metrics = createMetrics({ defaultMetrics: false });
  const evaluated: EvaluatedWindow[] = [];
  const queue = new EvaluationQueue({
    store,
    baselines: new Map([['tx', baseline]]),
    rules,
    alerts,
    metrics,
    logger: createLogger({ level: 'silent' }),
    parquetDir,
    onEvaluated: (w) => evaluated.push(w),
  });
  if (withQueue) store.addWindowCloseListener(queue);
  cleanups.push(async () => {
    await queue.drain();
    await alerts.close();
    conn.closeSync();
    await store.close();
  });
  return { store, queue, sink, alerts, evaluated, metrics };
}

async function rows(store: DriftStore, sql: string): Promise<unknown[][]> {
  const conn = await store.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows();
  } finally {
    conn.closeSync();
  }
}

const RESULTS = `SELECT epoch_ms(window_start), feature, metric, value, threshold, status FROM drift_results ORDER BY 1, 2, 3`;

describe('EvaluationQueue', () => {
  it('evaluates windows as they close: results, gauges, one grouped alert, evaluated_at', async () => {
    const dir = await tempDir();
    const r = await rig(join(dir, 'dw.duckdb'), join(dir, 'parquet'), true);
    for (const b of batches()) await r.store.write(b);
    await r.queue.drain();

    expect(r.evaluated.map((w) => (w.start - T0) / WINDOW)).toEqual([0, 1, 2, 3, 4, 5]);
    const unevaluated = await rows(r.store, 'SELECT count(*) FROM windows WHERE evaluated_at IS NULL');
    expect(Number(unevaluated[0]![0])).toBe(0);

    const results = await rows(r.store, RESULTS);
    // 4 features; amount/customer_age numeric (6 metrics), channel/country categorical (4).
    expect(results).toHaveLength(6 * (6 + 6 + 4 + 4));
    const status = (w: number, feature: string): string[] =>
      [...new Set(results.filter((x) => Number(x[0]) === T0 + w * WINDOW && x[1] === feature).map((x) => String(x[5])))].sort();
    for (let w = 0; w < 4; w++) for (const f of ['amount', 'channel', 'country', 'customer_age']) expect(status(w, f), `${f} w${w}`).toEqual(['ok']);
    expect(status(4, 'amount')).toContain('critical');
    expect(status(4, 'channel').some((x) => x === 'warn' || x === 'critical')).toBe(true);
    expect(status(5, 'country')).toEqual(['ok']);

    // One notification (window 5: fire_after 2), naming the drifted features only.
    await until(() => r.sink.sent.length >= 1, 5_000, 'the notification');
    expect(r.sink.sent).toHaveLength(1);
    expect(r.sink.sent[0]!.windowStart).toBe(T0 + 5 * WINDOW);
    expect(r.sink.sent[0]!.items.map((i) => i.feature).sort()).toEqual(['amount', 'channel']);
    expect(r.evaluated[4]!.outcome.retrainEvents).toEqual([]);
    expect(r.evaluated[5]!.outcome.retrainEvents.map((e) => e.model)).toEqual(['fraud']);
    expect(r.evaluated[5]!.outcome.retrainEvents[0]!.parquet_paths.some((p) => p.includes('stream=tx') && p.includes('date=2026-11-23'))).toBe(true);

    const text = await r.metrics.render();
    expect(text).toMatch(/driftwatch_drift_status\{stream="tx",feature="amount"\} 2/);
    expect(text).toMatch(/driftwatch_drift_status\{stream="tx",feature="country"\} 0/);
    expect(text).toMatch(/driftwatch_drift_value\{stream="tx",feature="amount",metric="psi"\} 0\.\d+/);
  });

  it('after a crash between close and evaluation, a restart evaluates the same windows to the same rows', async () => {
    const dirA = await tempDir();
    const a = await rig(join(dirA, 'dw.duckdb'), join(dirA, 'parquet'), true);
    for (const b of batches()) await a.store.write(b);
    await a.queue.drain();
    const expected = await rows(a.store, RESULTS);

    // B: the windows close, but the process "dies" before anything evaluates them.
    const dirB = await tempDir();
    const dbB = join(dirB, 'dw.duckdb');
    const b1 = await rig(dbB, join(dirB, 'parquet'), false);
    for (const b of batches()) await b1.store.write(b);
    expect(await rows(b1.store, 'SELECT count(*) FROM drift_results')).toEqual([[0n]]);
    for (const c of cleanups.splice(1)) await c();

    const b2 = await rig(dbB, join(dirB, 'parquet'), true);
    const pending = await b2.store.unevaluatedWindows();
    expect(pending).toHaveLength(6);
    b2.queue.enqueue(pending);
    await b2.queue.drain();
    expect(await rows(b2.store, RESULTS)).toEqual(expected);
    await until(() => b2.sink.sent.length >= 1, 5_000, 'the notification');
    expect(b2.sink.sent.map((n) => n.windowStart)).toEqual(a.sink.sent.map((n) => n.windowStart));

    // Evaluating the same windows again changes nothing: rows are upserted, the alert manager skips them.
    b2.queue.enqueue(await b2.store.closedWindows());
    b2.queue.enqueue(await b2.store.closedWindows()); // queued twice at once: evaluated once
    await b2.queue.drain();
    expect(b2.evaluated).toHaveLength(12);
    expect(await rows(b2.store, RESULTS)).toEqual(expected);
    expect(b2.evaluated.slice(6).every((w) => w.outcome.notifications.length === 0 && w.outcome.replayed === 4)).toBe(true);
  });
});

describe('windowFiles', () => {
  it('picks the stream’s partitions for every date the window spans', () => {
    const files = [
      '/p/events/stream=tx/date=2026-11-23/part-0.parquet',
      '/p/events/stream=tx/date=2026-11-24/part-0.parquet',
      '/p/events/stream=tx2/date=2026-11-23/part-0.parquet',
      '/p/feature_windows/stream=tx/date=2026-11-22/part-0.parquet',
    ];
    const lateEvening = Date.UTC(2026, 10, 23, 23, 30);
    expect(windowFiles(files, { stream: 'tx', start: lateEvening, end: lateEvening + 3_600_000 })).toEqual(files.slice(0, 2));
    expect(windowFiles(files, { stream: 'tx', start: lateEvening - 3_600_000, end: lateEvening })).toEqual(files.slice(0, 1));
  });
});
