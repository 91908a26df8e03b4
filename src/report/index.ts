export { renderReport } from './render.js';
export { renderCheckReport, driftMetricValues } from './check.js';
export type { CheckFeatureInput, CheckReportInput } from './check.js';
export { loadReportData } from './load.js';
export type { LoadReportOptions } from './load.js';
export { baselineHistogram, binCountsHistogram, categoricalHistogram, checkHistograms, sampleHistogram } from './histograms.js';
export { DEFAULT_THRESHOLDS, directionOf, thresholdsFromTests } from './thresholds.js';
export * from './types.js';
