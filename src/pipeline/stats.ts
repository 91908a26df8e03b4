/** Running totals of one pipeline process, for progress lines, the demo summary and the stop log. */
import type { DriftStatus } from '../drift/types.js';
import type { IngestTotals } from './activity.js';
import type { EvaluatedWindow } from './evaluation-queue.js';

export interface DriftedFeature {
  readonly stream: string;
  readonly feature: string;
  /** Worst status seen (warn or critical). */
  readonly worst: 'warn' | 'critical';
  /** Windows at warn or critical. */
  readonly windows: number;
  /** Start of the first such window (epoch ms). */
  readonly firstWindowStart: number;
}

export interface PipelineStats extends Readonly<IngestTotals> {
  /** Valid events handed to the store by this process. */
  readonly eventsStored: number;
  readonly lateEvents: number;
  readonly windowsClosed: number;
  readonly windowsEvaluated: number;
  readonly evaluationBacklog: number;
  readonly evaluationFailures: number;
  /** Notifications queued for channels (one per channel per grouped window). */
  readonly notifications: number;
  readonly retrainEvents: number;
  readonly drifted: readonly DriftedFeature[];
  /** Stream → watermark (epoch ms) or null before its first event. */
  readonly watermarks: Readonly<Record<string, number | null>>;
}

export interface StatsInputs {
  readonly ingest: Readonly<IngestTotals>;
  readonly eventsStored: number;
  readonly evaluationBacklog: number;
  readonly evaluationFailures: number;
  readonly watermarks: Readonly<Record<string, number | null>>;
}

export class PipelineStatsCollector {
  private lateCount = 0;
  private closedCount = 0;
  private evaluatedCount = 0;
  private notificationCount = 0;
  private retrainCount = 0;
  private readonly drifted = new Map<string, DriftedFeature>();

  late(n: number): void {
    this.lateCount += n;
  }

  windowClosed(): void {
    this.closedCount += 1;
  }

  evaluated(w: EvaluatedWindow): void {
    this.evaluatedCount += 1;
    this.notificationCount += w.outcome.notifications.length;
    this.retrainCount += w.outcome.retrainEvents.length;
    for (const e of w.evaluations) {
      const status: DriftStatus = e.evaluation.status;
      if (status !== 'warn' && status !== 'critical') continue;
      const key = `${w.stream}/${e.feature}`;
      const prev = this.drifted.get(key);
      this.drifted.set(key, {
        stream: w.stream,
        feature: e.feature,
        worst: prev?.worst === 'critical' || status === 'critical' ? 'critical' : 'warn',
        windows: (prev?.windows ?? 0) + 1,
        firstWindowStart: Math.min(prev?.firstWindowStart ?? w.start, w.start),
      });
    }
  }

  snapshot(inputs: StatsInputs): PipelineStats {
    return {
      ...inputs.ingest,
      eventsStored: inputs.eventsStored,
      lateEvents: this.lateCount,
      windowsClosed: this.closedCount,
      windowsEvaluated: this.evaluatedCount,
      evaluationBacklog: inputs.evaluationBacklog,
      evaluationFailures: inputs.evaluationFailures,
      notifications: this.notificationCount,
      retrainEvents: this.retrainCount,
      drifted: [...this.drifted.values()].sort((a, b) => a.firstWindowStart - b.firstWindowStart || a.feature.localeCompare(b.feature)),
      watermarks: inputs.watermarks,
    };
  }
}
