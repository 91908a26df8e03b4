import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../src/baseline/types.js';
import type { StreamConfig } from '../../src/config/types.js';
import { BaselineError, ConfigError, ErrorCodes, RuleError } from '../../src/errors.js';
import { loadPipelineRules, loadStreamBaselines, streamSpecs } from '../../src/pipeline/inputs.js';
import { rulesDir } from '../rules/helpers.js';
import { T0, baselineDir, tempDir, transactions } from './helpers.js';

let dir: string;
let baselinePath: string;
let baseline: Baseline;

beforeAll(async () => {
  dir = await tempDir();
  ({ path: baselinePath, baseline } = await baselineDir(dir, transactions(2_000, 1, T0 - 86_400_000, 86_400_000)));
});

function stream(overrides: Partial<StreamConfig> = {}): StreamConfig {
  return {
    name: 'tx',
    topic: 'tx-topic',
    encoding: 'json',
    schemaIds: {},
    dlqTopic: 'tx-topic.dlq',
    extraFields: 'allow',
    windows: { sizeMs: 600_000, slideMs: 600_000, allowedLatenessMs: 60_000, idleTimeoutMs: 300_000 },
    categorical: [],
    keyedAggregates: [],
    baseline: baselinePath,
    ...overrides,
  };
}

describe('loadStreamBaselines', () => {
  it('loads each stream’s profile by stream name', async () => {
    const loaded = await loadStreamBaselines([stream()]);
    expect([...loaded.keys()]).toEqual(['tx']);
    expect(loaded.get('tx')!.id).toBe(baseline.id);
  });

  it('refuses a stream without a baseline, naming the stream', async () => {
    const { baseline: _b, ...rest } = stream();
    const err = await loadStreamBaselines([rest as StreamConfig]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/streams\.tx: no baseline configured/);
  });

  it('names the stream and the path of a baseline that does not exist', async () => {
    const missing = join(dir, 'nope');
    const err = await loadStreamBaselines([stream({ name: 'payments', baseline: missing })]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).code).toBe(ErrorCodes.BASELINE_INVALID);
    expect((err as BaselineError).message).toContain(`stream 'payments': baseline ${missing} not found`);
    expect((err as BaselineError).details).toMatchObject({ stream: 'payments', path: missing });
  });

  it('names the stream when the profile is corrupt', async () => {
    const bad = join(dir, 'corrupt');
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'manifest.json'), '{ not json');
    const err = await loadStreamBaselines([stream({ baseline: bad })]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as Error).message).toMatch(/^stream 'tx': .*manifest\.json: not valid JSON/);
  });
});

describe('loadPipelineRules', () => {
  it('falls back to the built-in defaults when the directory does not exist', () => {
    const { rules, fromDir } = loadPipelineRules(join(dir, 'no-rules'), new Map([['tx', baseline]]));
    expect(fromDir).toBe(false);
    expect(rules.ruleFor('tx', 'amount').tests.psi).toEqual({ warn: 0.1, critical: 0.25 });
  });

  it('checks rule files against the baselines’ features', () => {
    const ok = rulesDir({ 'amount.yaml': 'feature: amount\ntests:\n  psi: { warn: 0.2, critical: 0.5 }\n' });
    expect(loadPipelineRules(ok, new Map([['tx', baseline]])).rules.ruleFor('tx', 'amount').tests.psi).toEqual({ warn: 0.2, critical: 0.5 });
    const typo = rulesDir({ 'amout.yaml': 'feature: amout\n' });
    expect(() => loadPipelineRules(typo, new Map([['tx', baseline]]))).toThrow(RuleError);
    expect(() => loadPipelineRules(typo, new Map([['tx', baseline]]))).toThrow(/unknown feature 'amout'/);
  });
});

describe('streamSpecs', () => {
  it('takes kinds and PSI edges from the baseline', () => {
    const [spec] = streamSpecs([stream()], new Map([['tx', baseline]]));
    const amount = spec!.features.find((f) => f.name === 'amount')!;
    const base = baseline.features.get('amount')!;
    expect(amount.kind).toBe('numeric');
    expect(base.kind).toBe('numeric');
    expect(Array.from(amount.psiEdges ?? [])).toEqual(base.kind === 'numeric' ? Array.from(base.psiEdges) : null);
    expect(spec!.features.find((f) => f.name === 'channel')!.kind).toBe('categorical');
  });

  it('refuses a categorical override of a numeric baseline feature', () => {
    expect(() => streamSpecs([stream({ categorical: ['customer_age'] })], new Map([['tx', baseline]]))).toThrow(/'customer_age' is numeric in baseline/);
  });
});
