import { describe, expect, it } from 'vitest';
import type { BaselineProfile, FeatureBaseline } from '../../src/drift/types.js';
import { ConfigError, UnknownFeatureError } from '../../src/errors.js';
import { streamSpecFromConfig } from '../../src/features/spec.js';

const windows = { sizeMs: 60_000, slideMs: 60_000, allowedLatenessMs: 0, idleTimeoutMs: 30_000 };
const missing = { nullCount: 0, nanCount: 0, infCount: 0, rowCount: 3 };
const baseline: BaselineProfile = {
  id: 'b1',
  source: 'train.parquet',
  createdAt: '2026-11-23T00:00:00Z',
  features: new Map<string, FeatureBaseline>([
    ['amount', { kind: 'numeric', name: 'amount', ...missing, finiteCount: 3, sorted: new Float64Array([1, 2, 3]), sampled: false, psiBins: 2, psiEdges: new Float64Array([2]) }],
    ['hour', { kind: 'numeric', name: 'hour', ...missing, finiteCount: 3, sorted: new Float64Array([1, 2, 3]), sampled: false, psiBins: 2, psiEdges: new Float64Array([2]) }],
    ['country', { kind: 'categorical', name: 'country', ...missing, categories: new Map([['FR', 3]]) }],
  ]),
};

describe('streamSpecFromConfig', () => {
  it('takes every baseline feature, its kind and frozen PSI edges; config can force categorical', () => {
    const spec = streamSpecFromConfig({ name: 'tx', windows, categorical: ['hour'] }, baseline);
    expect(spec.features).toEqual([
      { name: 'amount', kind: 'numeric', psiEdges: new Float64Array([2]) },
      { name: 'hour', kind: 'categorical' },
      { name: 'country', kind: 'categorical' },
    ]);
    expect(spec.keyedAggregates).toEqual([]);
  });

  it('a feature list selects; without a baseline features are numeric unless declared categorical', () => {
    expect(streamSpecFromConfig({ name: 'tx', windows, features: ['country'] }, baseline).features).toEqual([{ name: 'country', kind: 'categorical' }]);
    expect(streamSpecFromConfig({ name: 'tx', windows, features: ['a', 'b'], categorical: ['b'] }).features).toEqual([
      { name: 'a', kind: 'numeric' },
      { name: 'b', kind: 'categorical' },
    ]);
  });

  it('names the stream, feature and baseline when something is wrong', () => {
    expect(() => streamSpecFromConfig({ name: 'tx', windows, features: ['nope'] }, baseline)).toThrow(UnknownFeatureError);
    expect(() => streamSpecFromConfig({ name: 'tx', windows, features: ['nope'] }, baseline)).toThrow(/streams\.tx\.features: 'nope' is not in baseline train\.parquet/);
    expect(() => streamSpecFromConfig({ name: 'tx', windows })).toThrow(ConfigError);
    expect(() => streamSpecFromConfig({ name: 'tx', windows: { ...windows, slideMs: 120_000 }, features: ['a'] })).toThrow(/streams\.tx\.windows\.slide/);
  });
});

describe('with the config module', () => {
  it("accepts a StreamConfig as it is (keyed aggregates included)", () => {
    const config: import('../../src/config/types.js').StreamConfig = {
      name: 'tx',
      topic: 'transactions',
      encoding: 'json',
      schemaIds: {},
      dlqTopic: 'transactions.dlq',
      extraFields: 'allow',
      windows,
      features: ['amount'],
      categorical: [],
      keyedAggregates: [{ name: 'mean_amount_by_customer', key: 'customer_id', feature: 'amount', agg: 'mean' }],
    };
    const spec = streamSpecFromConfig(config, baseline);
    expect(spec.keyedAggregates).toEqual([{ name: 'mean_amount_by_customer', key: 'customer_id', feature: 'amount', agg: 'mean' }]);
    expect(spec.features).toEqual([{ name: 'amount', kind: 'numeric', psiEdges: new Float64Array([2]) }]);
  });
});
