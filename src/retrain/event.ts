/** Building and checking retrain events (pure apart from the compiled schema). */
import { createHash } from 'node:crypto';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import type { FeatureDrift } from '../drift/types.js';
import { ValidationError } from '../errors.js';
import { readSchema } from '../rules/schema.js';
import type { Breach } from '../rules/types.js';
import type { RetrainEvent, RetrainFeature, RetrainReason } from './types.js';

/** Flat metric map of a drift result, as carried by retrain events. */
export function flatMetrics(drift: FeatureDrift): Record<string, number> {
  const m = drift.metrics;
  const out: Record<string, number> = {
    null_rate_baseline: drift.null_rate_baseline,
    null_rate_current: drift.null_rate_current,
  };
  const put = (k: string, v: number | undefined): void => {
    if (v !== undefined && Number.isFinite(v)) out[k] = v;
  };
  put('psi', m.psi);
  put('ks_statistic', m.ks?.statistic);
  put('ks_pvalue', m.ks?.pvalue);
  put('chi2_statistic', m.chi2?.statistic);
  put('chi2_pvalue', m.chi2?.pvalue);
  put('jensen_shannon', m.jensen_shannon);
  put('wasserstein', m.wasserstein);
  put('wasserstein_normed', m.wasserstein_normed);
  return out;
}

/** Same model + stream + window → same key, so a replay or a resend dedupes downstream. */
export function retrainIdempotencyKey(model: string, stream: string, windowStart: number, windowEnd: number): string {
  const digest = createHash('sha256').update(`${model}\u0000${stream}\u0000${windowStart}\u0000${windowEnd}`).digest('hex');
  return `retrain-${digest.slice(0, 32)}`;
}

export interface RetrainEventInput {
  readonly model: string;
  readonly reason: RetrainReason;
  readonly stream: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly features: ReadonlyArray<{
    readonly feature: string;
    readonly severity: 'warn' | 'critical';
    readonly breaches: readonly Breach[];
    readonly drift: FeatureDrift;
  }>;
  readonly driftedShare: number;
  readonly baselineId?: string;
  readonly parquetPaths?: readonly string[];
  readonly createdAt: number;
}

export function buildRetrainEvent(input: RetrainEventInput): RetrainEvent {
  const features: RetrainFeature[] = input.features.map((f) => ({
    feature: f.feature,
    severity: f.severity,
    breaches: f.breaches.map((b) => ({ test: b.test, value: b.value, threshold: b.threshold, level: b.level })),
    metrics: flatMetrics(f.drift),
    n_current: f.drift.n_current,
  }));
  const names = features.map((f) => f.feature).join(', ');
  const why =
    input.reason === 'critical_drift'
      ? `critical drift on ${names}`
      : `${Math.round(input.driftedShare * 100)}% of its monitored features drifting (${names})`;
  return {
    schema_version: 1,
    model: input.model,
    reason: input.reason,
    summary: `Retrain ${input.model}: ${why} on stream ${input.stream}`,
    stream: input.stream,
    window: {
      start: new Date(input.windowStart).toISOString(),
      end: new Date(input.windowEnd).toISOString(),
      start_ms: input.windowStart,
      end_ms: input.windowEnd,
    },
    drifted_features: features,
    drifted_share: input.driftedShare,
    baseline_id: input.baselineId ?? null,
    parquet_paths: [...(input.parquetPaths ?? [])],
    idempotency_key: retrainIdempotencyKey(input.model, input.stream, input.windowStart, input.windowEnd),
    created_at: new Date(input.createdAt).toISOString(),
  };
}

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  // ajv-formats is CommonJS with a default export; under NodeNext its default import is the module.
  const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
    a: Ajv2020,
  ) => void;
  addFormats(ajv);
  validator = ajv.compile(readSchema('retrain-event.schema.json'));
  return validator;
}

/** Checks an event against schemas/retrain-event.schema.json; `where` names its origin. */
export function validateRetrainEvent(value: unknown, where = 'retrain event'): RetrainEvent {
  const validate = compiled();
  if (validate(value)) return value as unknown as RetrainEvent;
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(top level)'} ${e.message ?? e.keyword}`);
  throw new ValidationError(`${where} does not match retrain-event.schema.json: ${problems.join('; ')}`, {
    details: { problems },
  });
}
