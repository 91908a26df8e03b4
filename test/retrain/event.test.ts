import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { buildRetrainEvent, flatMetrics, retrainIdempotencyKey, validateRetrainEvent } from '../../src/retrain/event.js';
import { drift } from '../rules/helpers.js';

const T = Date.UTC(2026, 10, 23, 10, 0, 0);

function event() {
  return buildRetrainEvent({
    model: 'fraud-scorer',
    reason: 'critical_drift',
    stream: 'transactions',
    windowStart: T,
    windowEnd: T + 300_000,
    features: [
      { feature: 'amount', severity: 'critical', breaches: [{ test: 'psi', value: 0.4, threshold: 0.25, level: 'critical' }], drift: drift('amount', { psi: 0.4, ksStatistic: 0.2, ksPvalue: 1e-12, wassersteinNormed: 0.3, nullCur: 0.01 }) },
    ],
    driftedShare: 0.25,
    baselineId: 'a'.repeat(64),
    parquetPaths: ['data/parquet/events/stream=transactions/date=2026-11-23/part-1.parquet'],
    createdAt: T + 301_000,
  });
}

describe('retrain events', () => {
  it('builds an event that matches retrain-event.schema.json', () => {
    const e = event();
    expect(validateRetrainEvent(JSON.parse(JSON.stringify(e)))).toEqual(e);
    expect(e).toMatchObject({
      schema_version: 1,
      model: 'fraud-scorer',
      reason: 'critical_drift',
      stream: 'transactions',
      window: { start: '2026-11-23T10:00:00.000Z', end: '2026-11-23T10:05:00.000Z', start_ms: T, end_ms: T + 300_000 },
      drifted_share: 0.25,
      baseline_id: 'a'.repeat(64),
      created_at: '2026-11-23T10:05:01.000Z',
    });
    expect(e.summary).toBe('Retrain fraud-scorer: critical drift on amount on stream transactions');
    expect(e.drifted_features[0]!.metrics).toEqual({
      null_rate_baseline: 0,
      null_rate_current: 0.01,
      psi: 0.4,
      ks_statistic: 0.2,
      ks_pvalue: 1e-12,
      wasserstein: 0.6,
      wasserstein_normed: 0.3,
    });
  });

  it('the idempotency key depends on model, stream and window only', () => {
    const k = retrainIdempotencyKey('m', 's', 1, 2);
    expect(k).toMatch(/^retrain-[0-9a-f]{32}$/);
    expect(retrainIdempotencyKey('m', 's', 1, 2)).toBe(k);
    expect(new Set([k, retrainIdempotencyKey('m2', 's', 1, 2), retrainIdempotencyKey('m', 's2', 1, 2), retrainIdempotencyKey('m', 's', 1, 3)]).size).toBe(4);
    expect(event().idempotency_key).toBe(retrainIdempotencyKey('fraud-scorer', 'transactions', T, T + 300_000));
  });

  it('refuses events that do not match the schema, naming the field', () => {
    const bad = { ...event(), created_at: 'yesterday', extra: 1 };
    expect(() => validateRetrainEvent(bad, 'message t[0]@5')).toThrow(ValidationError);
    expect(() => validateRetrainEvent(bad, 'message t[0]@5')).toThrow(/message t\[0\]@5 does not match retrain-event.schema.json: .*\/created_at must match format "date-time"/);
    expect(() => validateRetrainEvent({ ...event(), drifted_features: [] })).toThrow(/drifted_features/);
    expect(() => validateRetrainEvent(null)).toThrow(ValidationError);
  });

  it('flatMetrics skips absent and non-finite metrics', () => {
    expect(flatMetrics(drift('c', { type: 'categorical', psi: Number.NaN, chi2Pvalue: 0.5 }))).toEqual({
      null_rate_baseline: 0,
      null_rate_current: 0,
      chi2_statistic: 10,
      chi2_pvalue: 0.5,
    });
  });
});
