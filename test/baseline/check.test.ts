import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBaseline } from '../../src/baseline/build.js';
import { runCheck } from '../../src/baseline/check.js';
import { statusFromMetrics } from '../../src/baseline/status.js';
import { writeBaseline } from '../../src/baseline/store.js';
import { compareFeature, numericSampleFromValues } from '../../src/drift/compare.js';
import type { FeatureDrift } from '../../src/drift/types.js';
import { BaselineError, InputError, UnknownFeatureError } from '../../src/errors.js';

const data = join(import.meta.dirname, '..', 'fixtures', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'dw-baseline-check-'));
const profile = join(tmp, 'profile');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await writeBaseline(await buildBaseline({ from: join(data, 'train.parquet') }), profile);
});

function drift(psi: number | undefined, nCurrent = 100): FeatureDrift {
  return {
    feature: 'f',
    type: 'numeric',
    n_baseline: 100,
    n_current: nCurrent,
    null_rate_baseline: 0,
    null_rate_current: 0,
    metrics: psi === undefined ? {} : { psi },
  };
}

describe('statusFromMetrics', () => {
  it('maps PSI to ok / warn / critical at 0.1 and 0.25, and no data to insufficient_data', () => {
    expect(statusFromMetrics(drift(0.0999))).toBe('ok');
    expect(statusFromMetrics(drift(0.1))).toBe('warn');
    expect(statusFromMetrics(drift(0.2499))).toBe('warn');
    expect(statusFromMetrics(drift(0.25))).toBe('critical');
    expect(statusFromMetrics(drift(undefined, 0))).toBe('insufficient_data');
    expect(statusFromMetrics(drift(Number.NaN))).toBe('insufficient_data');
  });
});

describe('runCheck', () => {
  it('finds no drift when the current data is the training data', async () => {
    const report = await runCheck({ baseline: profile, current: join(data, 'train.csv') });
    expect(report.features.map((f) => f.feature)).toEqual(['id', 'amount', 'city', 'is_member']);
    for (const f of report.features) {
      expect(f.metrics.psi).toBeCloseTo(0, 12);
      expect(f.status).toBe('ok');
    }
    expect(report.baseline.stored).toBe(true);
    expect(report.missingFeatures).toEqual([]);
  });

  it('flags the drifted features and matches compareFeature on the same inputs', async () => {
    const report = await runCheck({ baseline: profile, current: join(data, 'current.jsonl'), features: ['amount', 'city'] });
    const [amount, city] = report.features;
    expect(amount!.type).toBe('numeric');
    expect(amount!.metrics.psi).toBeGreaterThan(0.25);
    expect(amount!.status).toBe('critical');
    expect(city!.type).toBe('categorical');
    expect(city!.metrics.chi2?.dof).toBe(4); // 5 categories incl. the new "Brest"
    expect(city!.metrics.ks).toBeUndefined();

    const baseline = await buildBaseline({ from: join(data, 'train.parquet'), features: ['amount'] });
    const cells = (await import('node:fs')).readFileSync(join(data, 'current.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]!);
    const sample = numericSampleFromValues(cells.map((c) => (c === '' ? null : Number(c))));
    const expected = compareFeature(baseline.features.get('amount')!, sample);
    expect({ ...amount!, status: undefined }).toEqual({ ...expected, status: undefined });
  });

  it('profiles a raw training file in memory with the same result as a stored profile', async () => {
    const current = join(data, 'current.csv');
    const stored = await runCheck({ baseline: profile, current });
    const raw = await runCheck({ baseline: join(data, 'train.csv'), current });
    expect(raw.baseline.stored).toBe(false);
    expect(raw.baseline.id).toBe(stored.baseline.id);
    expect(raw.features).toEqual(stored.features);
  });

  it('uses the PSI bins asked for', async () => {
    const current = join(data, 'current.parquet');
    const [ten, twenty] = await Promise.all([
      runCheck({ baseline: profile, current, features: ['amount'] }),
      runCheck({ baseline: profile, current, features: ['amount'], psiBins: 20 }),
    ]);
    expect(twenty.features[0]!.metrics.psi).not.toBe(ten.features[0]!.metrics.psi);
  });

  it('lets the caller decide the status', async () => {
    const report = await runCheck({ baseline: profile, current: join(data, 'current.csv'), decideStatus: () => 'warn' });
    expect(new Set(report.features.map((f) => f.status))).toEqual(new Set(['warn']));
  });

  it('reports baseline features missing from the current data, and insufficient data for an all-null column', async () => {
    const current = join(tmp, 'partial.csv');
    writeFileSync(current, 'amount,extra\n,1\n,2\n');
    const report = await runCheck({ baseline: profile, current });
    expect(report.features.map((f) => [f.feature, f.n_current, f.null_rate_current, f.status])).toEqual([['amount', 0, 1, 'insufficient_data']]);
    expect(report.missingFeatures).toEqual(['id', 'city', 'is_member']);
  });

  it('refuses bad input with errors naming the file and the feature', async () => {
    const current = join(data, 'current.csv');
    await expect(runCheck({ baseline: profile, current, features: ['nope'] })).rejects.toThrow(UnknownFeatureError);
    await expect(runCheck({ baseline: profile, current, features: ['nope'] })).rejects.toThrow(
      `${profile}: baseline has no feature "nope"; it has: id, amount, city, is_member`,
    );
    const text = join(tmp, 'text.csv');
    writeFileSync(text, 'amount\n1.5\nabc\n');
    await expect(runCheck({ baseline: profile, current: text })).rejects.toThrow(new RegExp(`${text}: feature "amount" is read as numeric but has 1 non-numeric`));
    const unrelated = join(tmp, 'unrelated.csv');
    writeFileSync(unrelated, 'a,b\n1,2\n');
    const err = await runCheck({ baseline: profile, current: unrelated }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/no common features between baseline .*profile \(id, amount, city, is_member\) and .*unrelated\.csv \(a, b\)/);
    await expect(runCheck({ baseline: join(tmp, 'no-profile'), current })).rejects.toThrow(BaselineError);
    await expect(runCheck({ baseline: tmp, current })).rejects.toThrow(`${tmp}: directory is not a baseline profile (no manifest.json)`);
  });
});
