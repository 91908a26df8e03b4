/** The whole pipeline wired from a DriftwatchConfig (see pipeline.ts), and its parts. */
export { startPipeline } from './pipeline.js';
export type { Pipeline, PipelineOptions, SettleOptions } from './pipeline.js';
export type { DriftedFeature, PipelineStats } from './stats.js';
export type { EvaluatedWindow } from './evaluation-queue.js';
export { EvaluationQueue, windowFiles } from './evaluation-queue.js';
export { evaluateClosedWindow } from './evaluate.js';
export type { SampleSource, WindowEvaluatorDeps } from './evaluate.js';
export { driftResultRows, metricValues, RESULT_METRICS } from './results.js';
export { loadPipelineRules, loadStreamBaselines, streamSpecs } from './inputs.js';
export { createLogger } from './logger.js';
export type { PipelineLogger } from './logger.js';
