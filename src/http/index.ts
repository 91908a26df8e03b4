export { createMetrics, DRIFT_STATUS_VALUE } from './metrics.js';
export { ingestMetricsFor } from './ingest-metrics.js';
export type { Metrics, MetricsOptions } from './metrics.js';
export { createReadiness } from './readiness.js';
export type { CheckOutcome, CheckResult, Readiness, ReadinessCheck, ReadinessOptions, ReadinessReport } from './readiness.js';
export { startOpsServer } from './server.js';
export type { OpsServer, OpsServerOptions } from './server.js';
