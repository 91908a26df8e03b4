/**
 * Crash-and-restart: the store is closed and reopened at every batch boundary, as if the
 * process died after the DuckDB commit but before the Kafka commit (so the same batch is
 * delivered again), and sometimes before the drift evaluation of the windows that batch
 * closed. The final tables must equal those of an uninterrupted run.
 */
import { describe, expect, it } from 'vitest';
import type { ClosedWindow } from '../../src/features/types.js';
import { openStore, type DriftResultRow, type DriftStore } from '../../src/store/index.js';
import { dumpResults, scenario, tempDir, txSpec } from './fixtures.js';

// Small windows and a short idle timeout, so 18 batches close many windows and partition 1 goes idle.
const spec = txSpec({ sizeMs: 30_000, slideMs: 15_000, allowedLatenessMs: 3_000, idleTimeoutMs: 4_000 });
const sc = scenario(33, 18, 'tx', 40);

/** A stand-in for the drift evaluator: deterministic rows from the window's aggregates and raw sample. */
async function evaluate(store: DriftStore, windows: readonly ClosedWindow[]): Promise<void> {
  for (const w of windows) {
    const rows: DriftResultRow[] = [];
    for (const f of w.features) {
      const sample = await store.windowSample(w.stream, w.start, w.end, f.feature);
      const value = f.kind === 'numeric' ? (f.mean ?? 0) : f.categories.size;
      const n = sample.kind === 'numeric' ? sample.values.length : [...sample.categories.values()].reduce((a, b) => a + b, 0);
      rows.push({ stream: w.stream, windowStart: w.start, windowEnd: w.end, feature: f.feature, metric: 'level', value, threshold: 20, status: value >= 20 ? 'warn' : 'ok' });
      rows.push({ stream: w.stream, windowStart: w.start, windowEnd: w.end, feature: f.feature, metric: 'n', value: n, threshold: null, status: 'ok' });
    }
    await store.recordEvaluation({ stream: w.stream, start: w.start, end: w.end }, rows);
  }
}

async function run(path: string, crashAt: (i: number) => 'none' | 'after-commit' | 'before-evaluation') {
  let now = sc.nows[0]!;
  let evaluating = true;
  const open = async () => {
    const s = await openStore(path, { streams: [spec], clock: () => now });
    s.addWindowCloseListener({ onWindowsClosed: (c) => (evaluating ? evaluate(s, c) : undefined) });
    // pipeline start-up: evaluate windows that closed but were not evaluated before the crash
    await evaluate(s, await s.unevaluatedWindows());
    return s;
  };
  let store = await open();
  let crashes = 0;
  for (let i = 0; i < sc.batches.length; i++) {
    now = sc.nows[i]!;
    const mode = crashAt(i);
    evaluating = mode !== 'before-evaluation';
    await store.write(sc.batches[i]!);
    evaluating = true;
    if (mode !== 'none') {
      crashes++;
      // Die without a checkpoint, like a crash: the reopen has to replay DuckDB's WAL.
      const c = await store.connect();
      await c.run('PRAGMA disable_checkpoint_on_shutdown');
      c.closeSync();
      await store.close();
      store = await open();
      await store.write(sc.batches[i]!); // Kafka redelivers the uncommitted batch
    }
  }
  const conn = await store.connect();
  const dump = await dumpResults(conn);
  conn.closeSync();
  await store.close();
  return { dump, crashes };
}

describe('crash and restart at every cut point', () => {
  it('gives the same events, windows, keyed aggregates, late events and drift results as an uninterrupted run', async () => {
    const { dir, cleanup } = await tempDir('restart');
    try {
      const straight = await run(`${dir}/straight.duckdb`, () => 'none');
      expect(straight.dump.windows!.length).toBeGreaterThan(15);
      expect(straight.dump.late_events!.length).toBeGreaterThan(3);
      expect(straight.dump.drift_results!.length).toBe(straight.dump.feature_windows!.length * 2);
      expect(straight.dump.windows!.every((w) => w.evaluated === true)).toBe(true);
      const crashed = await run(`${dir}/crashed.duckdb`, (i) => (i % 2 === 0 ? 'after-commit' : 'before-evaluation'));
      expect(crashed.crashes).toBe(sc.batches.length);
      for (const table of Object.keys(straight.dump)) expect({ table, rows: crashed.dump[table] }).toEqual({ table, rows: straight.dump[table] });
    } finally {
      await cleanup();
    }
  });
});
