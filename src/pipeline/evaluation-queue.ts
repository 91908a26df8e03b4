/**
 * Drift evaluation behind the ingest: the store calls `onWindowsClosed` after the batch that
 * closed the windows committed, and this only queues them, so a slow evaluation never holds
 * a Kafka batch. One worker evaluates windows in close order:
 *
 *   windowSample → compareFeature → rules → drift_results (upsert) → gauges
 *     → alert manager (its own transaction) → windows.evaluated_at
 *
 * `evaluated_at` is set last: a crash anywhere before leaves the window unevaluated, and the
 * next start evaluates it again. Every step is replay-safe (results are upserted, the alert
 * manager ignores windows it already applied), so a replay ends where the first run would have.
 */
import type { AlertManager, WindowOutcome } from '../alerts/manager.js';
import type { BaselineProfile } from '../drift/types.js';
import { errorMessage } from '../errors.js';
import type { ClosedWindow } from '../features/types.js';
import type { Metrics } from '../http/metrics.js';
import type { WindowEvaluation } from '../rules/evaluate.js';
import type { RuleSet } from '../rules/types.js';
import type { DriftStore, WindowCloseListener } from '../store/index.js';
import { evaluateClosedWindow } from './evaluate.js';
import type { PipelineLogger } from './logger.js';
import { driftResultRows } from './results.js';

const DAY_MS = 86_400_000;

export interface EvaluatedWindow {
  readonly stream: string;
  readonly start: number;
  readonly end: number;
  readonly evaluations: readonly WindowEvaluation[];
  readonly outcome: WindowOutcome;
}

export interface EvaluationQueueOptions {
  readonly store: Pick<DriftStore, 'windowSample' | 'writeDriftResults' | 'markEvaluated' | 'exportParquet'>;
  readonly baselines: ReadonlyMap<string, BaselineProfile>;
  readonly rules: RuleSet;
  readonly alerts: Pick<AlertManager, 'onWindowEvaluated'>;
  readonly metrics?: Pick<Metrics, 'driftValue' | 'driftStatus'>;
  readonly logger: PipelineLogger;
  /** Parquet export root; windows' files go into retrain events. Undefined: no export. */
  readonly parquetDir?: string;
  /** Called after each window is fully recorded (stats, progress). */
  readonly onEvaluated?: (w: EvaluatedWindow) => void;
}

const keyOf = (w: { stream: string; start: number; end: number }): string => `${w.stream}\u0000${w.start}\u0000${w.end}`;

export class EvaluationQueue implements WindowCloseListener {
  private readonly pending: ClosedWindow[] = [];
  private readonly queued = new Set<string>();
  private worker: Promise<void> | undefined;
  private failed = 0;

  constructor(private readonly o: EvaluationQueueOptions) {}

  /** Windows waiting or being evaluated. */
  get backlog(): number {
    return this.queued.size;
  }

  /** Windows whose evaluation failed in this process (they stay unevaluated for the next start). */
  get failures(): number {
    return this.failed;
  }

  onWindowsClosed(closed: readonly ClosedWindow[]): void {
    this.enqueue(closed);
  }

  /** Queues windows (a window already queued is not queued twice) and returns at once. */
  enqueue(windows: readonly ClosedWindow[]): void {
    for (const w of windows) {
      const key = keyOf(w);
      if (this.queued.has(key)) continue;
      this.queued.add(key);
      this.pending.push(w);
    }
    if (this.pending.length > 0 && this.worker === undefined) {
      this.worker = this.run().finally(() => {
        this.worker = undefined;
      });
    }
  }

  /** Resolves once every queued window has been evaluated (or has failed). */
  async drain(): Promise<void> {
    while (this.worker !== undefined) await this.worker;
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0) {
      // Windows that closed together share one Parquet export.
      const batch = this.pending.splice(0);
      const files = await this.export(batch);
      for (const w of batch) {
        try {
          await this.evaluate(w, files);
        } catch (err) {
          this.failed += 1;
          this.o.logger.error(
            { stream: w.stream, window_start: iso(w.start), window_end: iso(w.end), err: errorMessage(err) },
            'drift evaluation failed; the window stays unevaluated and is retried on the next start',
          );
        } finally {
          this.queued.delete(keyOf(w));
        }
      }
    }
  }

  private async export(batch: readonly ClosedWindow[]): Promise<readonly string[]> {
    if (this.o.parquetDir === undefined || batch.length === 0) return [];
    const since = Math.min(...batch.map((w) => w.start));
    try {
      return (await this.o.store.exportParquet(this.o.parquetDir, { since })).files;
    } catch (err) {
      // Retrain events then carry no file paths; the data is still in DuckDB.
      this.o.logger.warn({ dir: this.o.parquetDir, err: errorMessage(err) }, 'parquet export failed');
      return [];
    }
  }

  private async evaluate(w: ClosedWindow, files: readonly string[]): Promise<void> {
    const { store, metrics } = this.o;
    const evaluations = await evaluateClosedWindow({ samples: store, baselines: this.o.baselines, rules: this.o.rules }, w);
    const rows = driftResultRows(w.stream, w.start, w.end, evaluations);
    await store.writeDriftResults(rows);
    for (const r of rows) if (r.value !== null) metrics?.driftValue(w.stream, r.feature, r.metric, r.value);
    for (const e of evaluations) metrics?.driftStatus(w.stream, e.feature, e.evaluation.status);
    const baselineId = this.o.baselines.get(w.stream)?.id;
    const outcome = await this.o.alerts.onWindowEvaluated({
      stream: w.stream,
      windowStart: w.start,
      windowEnd: w.end,
      results: evaluations.map((e) => ({ feature: e.feature, drift: e.drift, evaluation: e.evaluation })),
      ...(baselineId !== undefined && { baselineId }),
      parquetPaths: windowFiles(files, w),
    });
    await store.markEvaluated([{ stream: w.stream, start: w.start, end: w.end }]);
    const drifted = evaluations.filter((e) => e.evaluation.status === 'warn' || e.evaluation.status === 'critical');
    this.o.logger.info(
      {
        stream: w.stream,
        window_start: iso(w.start),
        window_end: iso(w.end),
        events: w.eventCount,
        drifted: drifted.map((e) => `${e.feature}:${e.evaluation.status}`),
        notifications: outcome.notifications.length,
        retrain_events: outcome.retrainEvents.length,
      },
      'window evaluated',
    );
    this.o.onEvaluated?.({ stream: w.stream, start: w.start, end: w.end, evaluations, outcome });
  }
}

/** The exported files holding a window's data: its stream's partitions for the dates it spans. */
export function windowFiles(files: readonly string[], w: { stream: string; start: number; end: number }): string[] {
  const dates = new Set<string>();
  for (let d = Math.floor(w.start / DAY_MS) * DAY_MS; d < w.end; d += DAY_MS) dates.add(new Date(d).toISOString().slice(0, 10));
  return files.filter((f) => {
    const parts = f.split(/[\\/]/);
    return parts.includes(`stream=${w.stream}`) && parts.some((p) => p.startsWith('date=') && dates.has(p.slice(5)));
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
