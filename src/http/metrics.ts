/**
 * The Prometheus metrics of a driftwatch process behind a small typed facade, so the pipeline
 * modules call `metrics.eventsConsumed(stream, n)` and never import prom-client. Each facade
 * owns its own Registry (never the global one): two pipelines in one process, or two tests,
 * do not see each other's numbers.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DriftStatus } from '../drift/types.js';

export interface Metrics {
  eventsConsumed(stream: string, n?: number): void;
  eventsValid(stream: string, n?: number): void;
  /** `stage`: where the event failed (decode, validate, schema-registry); `reason`: a closed class (json-syntax, …). */
  eventsInvalid(stream: string, stage: string, n?: number, reason?: string): void;
  /** Events for windows that had already closed (side-lined, not dropped). */
  eventsLate(stream: string, n?: number): void;
  dlqWrites(stream: string, n?: number): void;
  /** Messages between the partition's high watermark and the committed offset. */
  consumerLag(topic: string, partition: number, lag: number): void;
  committedOffset(topic: string, partition: number, offset: number | bigint | string): void;
  /** Drops a partition's gauges after a rebalance took it away. */
  partitionRevoked(topic: string, partition: number): void;
  /** A window closed `latencySeconds` after its end (event time) passed, by the wall clock. */
  windowClosed(stream: string, latencySeconds: number): void;
  /** Latest value of a drift metric (psi, ks_statistic, jensen_shannon, …) for a feature. */
  driftValue(stream: string, feature: string, metric: string, value: number): void;
  /** Latest verdict for a feature: -1 insufficient data, 0 ok, 1 warn, 2 critical. */
  driftStatus(stream: string, feature: string, status: DriftStatus): void;
  alertFired(stream: string, feature: string, severity: 'warn' | 'critical'): void;
  alertResolved(stream: string, feature: string): void;
  notificationSent(channel: string): void;
  notificationFailed(channel: string): void;
  /** Pre-creates a stream's counters at 0 so `rate()` works before the first event. */
  declareStream(stream: string): void;
  /** Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Process/Node.js default metrics (CPU, memory, event loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean;
  /** Labels added to every metric, e.g. { instance_name: 'fraud-eu' }. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

export const DRIFT_STATUS_VALUE: Readonly<Record<DriftStatus, number>> = {
  insufficient_data: -1,
  ok: 0,
  warn: 1,
  critical: 2,
};

/** Event time → close: allowed lateness is minutes, replays can be hours behind. */
const WINDOW_CLOSE_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels({ ...options.defaultLabels });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const consumed = new Counter({ name: 'driftwatch_events_consumed_total', help: 'Kafka messages consumed', labelNames: ['stream'] as const, registers });
  const valid = new Counter({ name: 'driftwatch_events_valid_total', help: 'Messages decoded and schema-valid', labelNames: ['stream'] as const, registers });
  const invalid = new Counter({
    name: 'driftwatch_events_invalid_total',
    help: 'Messages that failed, by the stage that refused them and the class of reason',
    labelNames: ['stream', 'stage', 'reason'] as const,
    registers,
  });
  const late = new Counter({ name: 'driftwatch_events_late_total', help: 'Events for windows already closed', labelNames: ['stream'] as const, registers });
  const dlq = new Counter({ name: 'driftwatch_dlq_messages_total', help: 'Messages written to the dead-letter topic', labelNames: ['stream'] as const, registers });
  const lag = new Gauge({ name: 'driftwatch_consumer_lag', help: 'Messages not yet consumed, per partition', labelNames: ['topic', 'partition'] as const, registers });
  const committed = new Gauge({ name: 'driftwatch_committed_offset', help: 'Last committed offset, per partition', labelNames: ['topic', 'partition'] as const, registers });
  const closeLatency = new Histogram({
    name: 'driftwatch_window_close_latency_seconds',
    help: "Seconds from a window's end (event time) to its close (wall clock)",
    labelNames: ['stream'] as const,
    buckets: WINDOW_CLOSE_BUCKETS,
    registers,
  });
  const drift = new Gauge({
    name: 'driftwatch_drift_value',
    help: 'Latest drift metric value per feature',
    labelNames: ['stream', 'feature', 'metric'] as const,
    registers,
  });
  const status = new Gauge({
    name: 'driftwatch_drift_status',
    help: 'Latest drift verdict per feature (-1 insufficient data, 0 ok, 1 warn, 2 critical)',
    labelNames: ['stream', 'feature'] as const,
    registers,
  });
  const fired = new Counter({
    name: 'driftwatch_alerts_fired_total',
    help: 'Alerts that started firing',
    labelNames: ['stream', 'feature', 'severity'] as const,
    registers,
  });
  const resolved = new Counter({ name: 'driftwatch_alerts_resolved_total', help: 'Alerts that resolved', labelNames: ['stream', 'feature'] as const, registers });
  const sent = new Counter({ name: 'driftwatch_notifications_sent_total', help: 'Notifications delivered', labelNames: ['channel'] as const, registers });
  const failed = new Counter({
    name: 'driftwatch_notification_failures_total',
    help: 'Notification delivery attempts that failed (each retry counts)',
    labelNames: ['channel'] as const,
    registers,
  });

  // Metrics must never throw into the pipeline: a counter refuses negative or NaN increments.
  const count = (n: number | undefined): number | undefined => {
    const v = n ?? 1;
    return Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const finite = (v: number): boolean => Number.isFinite(v);

  return {
    eventsConsumed(stream, n) {
      const v = count(n);
      if (v !== undefined) consumed.inc({ stream }, v);
    },
    eventsValid(stream, n) {
      const v = count(n);
      if (v !== undefined) valid.inc({ stream }, v);
    },
    eventsInvalid(stream, stage, n, reason) {
      const v = count(n);
      if (v !== undefined) invalid.inc(reason === undefined ? { stream, stage } : { stream, stage, reason }, v);
    },
    eventsLate(stream, n) {
      const v = count(n);
      if (v !== undefined) late.inc({ stream }, v);
    },
    dlqWrites(stream, n) {
      const v = count(n);
      if (v !== undefined) dlq.inc({ stream }, v);
    },
    consumerLag(topic, partition, value) {
      if (finite(value)) lag.set({ topic, partition: String(partition) }, Math.max(0, value));
    },
    committedOffset(topic, partition, offset) {
      const v = Number(offset);
      if (finite(v)) committed.set({ topic, partition: String(partition) }, v);
    },
    partitionRevoked(topic, partition) {
      lag.remove({ topic, partition: String(partition) });
      committed.remove({ topic, partition: String(partition) });
    },
    windowClosed(stream, latencySeconds) {
      if (finite(latencySeconds)) closeLatency.observe({ stream }, Math.max(0, latencySeconds));
    },
    driftValue(stream, feature, metric, value) {
      // A missing metric (e.g. KS on a categorical feature) is absent, not NaN.
      if (finite(value)) drift.set({ stream, feature, metric }, value);
      else drift.remove({ stream, feature, metric });
    },
    driftStatus(stream, feature, s) {
      status.set({ stream, feature }, DRIFT_STATUS_VALUE[s]);
    },
    alertFired(stream, feature, severity) {
      fired.inc({ stream, feature, severity });
    },
    alertResolved(stream, feature) {
      resolved.inc({ stream, feature });
    },
    notificationSent(channel) {
      sent.inc({ channel });
    },
    notificationFailed(channel) {
      failed.inc({ channel });
    },
    declareStream(stream) {
      for (const c of [consumed, valid, late, dlq]) c.inc({ stream }, 0);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
