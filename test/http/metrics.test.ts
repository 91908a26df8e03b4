import { describe, expect, it } from 'vitest';
import { createMetrics, ingestMetricsFor } from '../../src/http/index.js';

/** Value of one sample line of the exposition, e.g. sample(text, 'x_total{stream="a"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Metrics facade', () => {
  it('counts events by stream and stage', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.eventsConsumed('tx', 10);
    m.eventsConsumed('tx');
    m.eventsValid('tx', 8);
    m.eventsInvalid('tx', 'decode', 2);
    m.eventsInvalid('tx', 'validate');
    m.eventsLate('tx', 4);
    m.dlqWrites('tx', 3);
    const text = await m.render();
    expect(sample(text, 'driftwatch_events_consumed_total{stream="tx"}')).toBe(11);
    expect(sample(text, 'driftwatch_events_valid_total{stream="tx"}')).toBe(8);
    expect(sample(text, 'driftwatch_events_invalid_total{stream="tx",stage="decode"}')).toBe(2);
    expect(sample(text, 'driftwatch_events_invalid_total{stream="tx",stage="validate"}')).toBe(1);
    expect(sample(text, 'driftwatch_events_late_total{stream="tx"}')).toBe(4);
    expect(sample(text, 'driftwatch_dlq_messages_total{stream="tx"}')).toBe(3);
  });

  it('ignores increments a counter would refuse instead of throwing into the pipeline', async () => {
    const m = createMetrics({ defaultMetrics: false });
    expect(() => {
      m.eventsConsumed('tx', -1);
      m.eventsConsumed('tx', Number.NaN);
      m.eventsConsumed('tx', 0);
      m.windowClosed('tx', Number.NaN);
      m.consumerLag('t', 0, Number.POSITIVE_INFINITY);
    }).not.toThrow();
    const text = await m.render();
    expect(sample(text, 'driftwatch_events_consumed_total{stream="tx"}')).toBeUndefined();
  });

  it('declares a stream at zero so rate() has a series', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.declareStream('orders');
    const text = await m.render();
    expect(sample(text, 'driftwatch_events_consumed_total{stream="orders"}')).toBe(0);
    expect(sample(text, 'driftwatch_dlq_messages_total{stream="orders"}')).toBe(0);
  });

  it('tracks lag and committed offsets per partition and forgets revoked partitions', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.consumerLag('tx', 0, 120);
    m.consumerLag('tx', 1, 5);
    m.consumerLag('tx', 1, 7);
    m.committedOffset('tx', 0, '9007199254740993');
    m.partitionRevoked('tx', 1);
    const text = await m.render();
    expect(sample(text, 'driftwatch_consumer_lag{topic="tx",partition="0"}')).toBe(120);
    expect(sample(text, 'driftwatch_consumer_lag{topic="tx",partition="1"}')).toBeUndefined();
    expect(sample(text, 'driftwatch_committed_offset{topic="tx",partition="0"}')).toBe(9007199254740992);
  });

  it('records window close latency as a histogram', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.windowClosed('tx', 0.2);
    m.windowClosed('tx', 45);
    m.windowClosed('tx', -3); // clock skew: clamped to 0
    const text = await m.render();
    expect(sample(text, 'driftwatch_window_close_latency_seconds_count{stream="tx"}')).toBe(3);
    expect(sample(text, 'driftwatch_window_close_latency_seconds_sum{stream="tx"}')).toBeCloseTo(45.2, 9);
    expect(sample(text, 'driftwatch_window_close_latency_seconds_bucket{le="0.5",stream="tx"}')).toBe(2);
    expect(sample(text, 'driftwatch_window_close_latency_seconds_bucket{le="60",stream="tx"}')).toBe(3);
  });

  it('exposes drift values and verdicts per feature and metric', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.driftValue('tx', 'amount', 'psi', 0.31);
    m.driftValue('tx', 'amount', 'ks_statistic', 0.12);
    m.driftValue('tx', 'amount', 'psi', 0.05);
    m.driftValue('tx', 'country', 'psi', 0.2);
    m.driftValue('tx', 'country', 'psi', Number.NaN);
    m.driftStatus('tx', 'amount', 'critical');
    m.driftStatus('tx', 'country', 'insufficient_data');
    const text = await m.render();
    expect(sample(text, 'driftwatch_drift_value{stream="tx",feature="amount",metric="psi"}')).toBe(0.05);
    expect(sample(text, 'driftwatch_drift_value{stream="tx",feature="amount",metric="ks_statistic"}')).toBe(0.12);
    expect(sample(text, 'driftwatch_drift_value{stream="tx",feature="country",metric="psi"}')).toBeUndefined();
    expect(sample(text, 'driftwatch_drift_status{stream="tx",feature="amount"}')).toBe(2);
    expect(sample(text, 'driftwatch_drift_status{stream="tx",feature="country"}')).toBe(-1);
  });

  it('counts alerts and notification outcomes', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.alertFired('tx', 'amount', 'critical');
    m.alertFired('tx', 'amount', 'warn');
    m.alertFired('tx', 'amount', 'critical');
    m.alertResolved('tx', 'amount');
    m.notificationSent('slack');
    m.notificationFailed('slack');
    m.notificationFailed('slack');
    const text = await m.render();
    expect(sample(text, 'driftwatch_alerts_fired_total{stream="tx",feature="amount",severity="critical"}')).toBe(2);
    expect(sample(text, 'driftwatch_alerts_fired_total{stream="tx",feature="amount",severity="warn"}')).toBe(1);
    expect(sample(text, 'driftwatch_alerts_resolved_total{stream="tx",feature="amount"}')).toBe(1);
    expect(sample(text, 'driftwatch_notifications_sent_total{channel="slack"}')).toBe(1);
    expect(sample(text, 'driftwatch_notification_failures_total{channel="slack"}')).toBe(2);
  });

  it('keeps registries apart and includes process metrics when asked', async () => {
    const a = createMetrics();
    const b = createMetrics({ defaultMetrics: false, defaultLabels: { instance_name: 'eu' } });
    a.eventsConsumed('tx', 5);
    b.eventsConsumed('tx', 1);
    const textA = await a.render();
    const textB = await b.render();
    expect(sample(textA, 'driftwatch_events_consumed_total{stream="tx"}')).toBe(5);
    expect(sample(textB, 'driftwatch_events_consumed_total{stream="tx",instance_name="eu"}')).toBe(1);
    expect(textA).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(textA).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(textB).not.toContain('process_cpu_user_seconds_total');
    expect(a.contentType).toMatch(/^text\/plain/);
  });

  it('publishes the ingest consumer hooks', async () => {
    const m = createMetrics({ defaultMetrics: false });
    const ingest = ingestMetricsFor(m);
    ingest.consumed('tx', 'transactions', 0, 100);
    ingest.valid('tx', 97);
    ingest.invalid('tx', 'decode', 'json-syntax', 2);
    ingest.invalid('tx', 'validate', 'required', 1);
    ingest.dlq('tx', 'transactions.dlq', 3);
    ingest.committed('transactions', 0, '100');
    ingest.lag('transactions', 0, 12);
    const text = await m.render();
    expect(sample(text, 'driftwatch_events_consumed_total{stream="tx"}')).toBe(100);
    expect(sample(text, 'driftwatch_events_valid_total{stream="tx"}')).toBe(97);
    expect(sample(text, 'driftwatch_events_invalid_total{stream="tx",stage="decode",reason="json-syntax"}')).toBe(2);
    expect(sample(text, 'driftwatch_events_invalid_total{stream="tx",stage="validate",reason="required"}')).toBe(1);
    expect(sample(text, 'driftwatch_dlq_messages_total{stream="tx"}')).toBe(3);
    expect(sample(text, 'driftwatch_committed_offset{topic="transactions",partition="0"}')).toBe(100);
    expect(sample(text, 'driftwatch_consumer_lag{topic="transactions",partition="0"}')).toBe(12);
  });
});
