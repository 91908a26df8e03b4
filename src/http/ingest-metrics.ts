/**
 * The ingest consumer's metrics hooks (src/ingest/metrics.ts) published through the Prometheus
 * facade, so the consumer stays free of prom-client.
 */
import type { IngestMetrics } from '../ingest/metrics.js';
import type { Metrics } from './metrics.js';

export function ingestMetricsFor(metrics: Metrics): IngestMetrics {
  return {
    consumed: (stream, _topic, _partition, count) => metrics.eventsConsumed(stream, count),
    valid: (stream, count) => metrics.eventsValid(stream, count),
    invalid: (stream, stage, reasonClass, count) => metrics.eventsInvalid(stream, stage, count, reasonClass),
    dlq: (stream, _dlqTopic, count) => metrics.dlqWrites(stream, count),
    committed: (topic, partition, nextOffset) => metrics.committedOffset(topic, partition, nextOffset),
    lag: (topic, partition, lag) => metrics.consumerLag(topic, partition, lag),
  };
}
