import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, InputNotFoundError, RuleError } from '../../src/errors.js';
import { defaultRuleSet, loadRules } from '../../src/rules/load.js';
import type { RuleProblem } from '../../src/rules/parse-file.js';
import { rulesDir } from './helpers.js';

const DEMO_FEATURES = [
  'amount', 'merchant_category', 'country', 'channel', 'card_present',
  'customer_age', 'account_age_days', 'device_score', 'hour_of_day',
];

/** Loads and returns the RuleError's problems (fails the test if loading succeeds). */
function problemsOf(dir: string, baselineFeatures?: string[]): { message: string; problems: RuleProblem[] } {
  try {
    loadRules(dir, baselineFeatures ? { baselineFeatures } : {});
  } catch (err) {
    expect(err).toBeInstanceOf(RuleError);
    const e = err as RuleError;
    expect(e.code).toBe(ErrorCodes.RULE_INVALID);
    return { message: e.message, problems: e.details.problems as RuleProblem[] };
  }
  throw new Error('expected loadRules to fail');
}

describe('loadRules: good files', () => {
  it('the example rules cover the demo schema (schemas/transactions.schema.json) minus ids and time', () => {
    const schema = JSON.parse(readFileSync('schemas/transactions.schema.json', 'utf8')) as { properties: Record<string, unknown> };
    const features = Object.keys(schema.properties).filter((k) => !['transaction_id', 'customer_id', 'event_time'].includes(k));
    expect(features.sort()).toEqual([...DEMO_FEATURES].sort());
  });

  it('loads the example rules for the demo schema against its feature list', () => {
    const set = loadRules('rules', { baselineFeatures: DEMO_FEATURES });
    expect(set.rules.map((r) => r.feature).sort()).toEqual([...DEMO_FEATURES].sort());
    const amount = set.ruleFor('transactions', 'amount');
    expect(amount.tests.ks_pvalue).toEqual({ warn: 0.01, critical: 0.001 });
    expect(amount.retrain).toMatchObject({ on: 'critical', model: 'fraud-scorer', driftedShare: 0.5 });
    expect(set.pAdjustFor('transactions')).toBe('benjamini-hochberg');
  });

  it('fills keys a rule leaves out from _defaults.yaml, which fills from the built-ins', () => {
    const dir = rulesDir({
      '_defaults.yaml': 'fire_after: 3\nrepeat_interval: 30m\nlabels: { team: risk }\ntests:\n  psi: { warn: 0.2, critical: 0.4 }\n',
      'amount.yaml': 'feature: amount\ntests:\n  psi: { critical: 0.5 }\n  ks_statistic: false\nlabels: { owner: ana }\ncooldown: 2h\n',
    });
    const set = loadRules(dir);
    const r = set.ruleFor('any', 'amount');
    expect(r.fireAfter).toBe(3); // from _defaults
    expect(r.resolveAfter).toBe(2); // built-in
    expect(r.repeatIntervalMs).toBe(2 * 3_600_000); // cooldown alias overrides the defaults' repeat_interval
    expect(r.tests.psi).toEqual({ warn: 0.2, critical: 0.5 }); // level-wise merge
    expect(r.tests.ks_statistic).toBeUndefined(); // turned off
    expect(r.tests.jensen_shannon).toEqual({ warn: 0.1, critical: 0.2 }); // built-in
    expect(r.labels).toEqual({ team: 'risk', owner: 'ana' });
    expect(r.sources).toEqual(['(built-in defaults)', join(dir, '_defaults.yaml'), join(dir, 'amount.yaml')]);
    // A feature without a file gets the defaults rule.
    const other = set.ruleFor('any', 'country');
    expect(other.feature).toBe('*');
    expect(other.tests.psi).toEqual({ warn: 0.2, critical: 0.4 });
  });

  it('takes the stream from the subdirectory and layers the stream defaults', () => {
    const dir = rulesDir({
      '_defaults.yaml': 'min_samples: 50\n',
      'payments/_defaults.yaml': 'fire_after: 5\np_adjust: bonferroni\n',
      'payments/amount.yaml': 'feature: amount\n',
      'amount.yaml': 'feature: amount\nfire_after: 1\n',
    });
    const set = loadRules(dir);
    expect(set.ruleFor('payments', 'amount')).toMatchObject({ stream: 'payments', fireAfter: 5, minSamples: 50 });
    expect(set.ruleFor('clicks', 'amount')).toMatchObject({ stream: '*', fireAfter: 1 });
    expect(set.ruleFor('payments', 'country')).toMatchObject({ stream: 'payments', feature: '*', fireAfter: 5 });
    expect(set.pAdjustFor('payments')).toBe('bonferroni');
    expect(set.pAdjustFor('clicks')).toBe('none');
  });

  it('returns deeply frozen objects', () => {
    const set = loadRules(rulesDir({ 'a.yaml': 'feature: a\n' }));
    const r = set.ruleFor('s', 'a');
    expect(Object.isFrozen(set)).toBe(true);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.tests)).toBe(true);
    expect(Object.isFrozen(r.tests.psi)).toBe(true);
    expect(Object.isFrozen(r.labels)).toBe(true);
    expect(Object.isFrozen(r.channels)).toBe(true);
    expect(() => {
      (r as { fireAfter: number }).fireAfter = 9;
    }).toThrow(TypeError);
  });

  it('built-in defaults gate on effect sizes only', () => {
    const r = defaultRuleSet().ruleFor('s', 'x');
    expect(Object.keys(r.tests).sort()).toEqual(['jensen_shannon', 'ks_statistic', 'null_rate_increase', 'psi', 'wasserstein_normed']);
    expect(r.tests.psi).toEqual({ warn: 0.1, critical: 0.25 });
  });

  it('accepts an empty _defaults.yaml', () => {
    expect(loadRules(rulesDir({ '_defaults.yaml': '' })).rules).toHaveLength(0);
  });
});

describe('loadRules: bad files name file, line and field', () => {
  it('YAML syntax error', () => {
    const dir = rulesDir({ 'amount.yaml': 'feature: amount\ntests:\n  psi: { warn: 0.1\n' });
    const { problems, message } = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: join(dir, 'amount.yaml'), field: '(yaml)' });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(message).toMatch(/amount\.yaml:\d+ \(yaml\): YAML syntax error/);
  });

  it('duplicate keys are a syntax error', () => {
    const { problems } = problemsOf(rulesDir({ 'a.yaml': 'feature: a\nfire_after: 2\nfire_after: 3\n' }));
    expect(problems[0]).toMatchObject({ line: 3, field: '(yaml)' });
  });

  it('unknown key points at the key line', () => {
    const dir = rulesDir({ 'amount.yaml': 'feature: amount\ntests:\n  psi:\n    warn: 0.1\n  psy:\n    warn: 0.2\nfire_afer: 2\n' });
    const { problems, message } = problemsOf(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 5, field: 'tests.psy', message: "unknown key 'psy'" }),
        expect.objectContaining({ line: 7, field: 'fire_afer', message: "unknown key 'fire_afer'" }),
      ]),
    );
    expect(message).toContain(`${join(dir, 'amount.yaml')}:5 tests.psy: unknown key 'psy'`);
  });

  it('wrong types and out-of-range values', () => {
    const dir = rulesDir({
      'a.yaml': [
        'feature: a', // 1
        'fire_after: two', // 2
        'tests:', // 3
        '  ks_pvalue:', // 4
        '    warn: 1.5', // 5
        '  psi: true', // 6
        'channels: slack', // 7
        'repeat_interval: soon', // 8
        'retrain: { on: sometimes }', // 9
        'type: text', // 10
      ].join('\n'),
    });
    const byField = new Map(problemsOf(dir).problems.map((p) => [p.field, p]));
    expect(byField.get('fire_after')).toMatchObject({ line: 2, message: 'must be integer' });
    expect(byField.get('tests.ks_pvalue.warn')).toMatchObject({ line: 5 });
    expect(byField.get('tests.psi')).toMatchObject({ line: 6 });
    expect(byField.get('channels')).toMatchObject({ line: 7, message: 'must be array' });
    expect(byField.get('repeat_interval')).toMatchObject({ line: 8 });
    expect(byField.get('retrain.on')).toMatchObject({ line: 9, message: 'must be one of "critical", "off"' });
    expect(byField.get('type')).toMatchObject({ line: 10 });
  });

  it('a rule without feature', () => {
    const { problems } = problemsOf(rulesDir({ 'a.yaml': 'tests:\n  psi: { warn: 0.1 }\n' }));
    expect(problems[0]).toMatchObject({ line: 1, message: "missing required key 'feature'" });
  });

  it('warn more severe than critical, in both directions', () => {
    const dir = rulesDir({
      'a.yaml': 'feature: a\ntests:\n  psi:\n    warn: 0.3\n    critical: 0.2\n  ks_pvalue:\n    warn: 0.001\n    critical: 0.01\n',
    });
    const { problems } = problemsOf(dir);
    expect(problems).toEqual([
      expect.objectContaining({ field: 'tests.psi', line: 5, message: expect.stringMatching(/warn 0.3 must be less severe than critical 0.2/) }),
      expect.objectContaining({ field: 'tests.ks_pvalue', line: 8, message: expect.stringMatching(/warn must be higher/) }),
    ]);
  });

  it('a contradiction with an inherited level names both files', () => {
    const dir = rulesDir({
      '_defaults.yaml': 'tests:\n  psi: { warn: 0.1, critical: 0.25 }\n',
      'a.yaml': 'feature: a\ntests:\n  psi:\n    warn: 0.3\n',
    });
    const { problems } = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: join(dir, 'a.yaml'), line: 4, field: 'tests.psi' });
    expect(problems[0]!.message).toContain(`critical from ${join(dir, '_defaults.yaml')}:2`);
  });

  it('unknown feature when the baseline features are given', () => {
    const dir = rulesDir({ 'amount.yaml': 'feature: amount\n', 'amont.yaml': '# typo\nfeature: amont\n' });
    const { problems } = problemsOf(dir, DEMO_FEATURES);
    expect(problems).toEqual([
      expect.objectContaining({ file: join(dir, 'amont.yaml'), line: 2, field: 'feature', message: expect.stringContaining("unknown feature 'amont'") }),
    ]);
    expect(problems[0]!.message).toContain('amount');
    // Without a baseline the same files load.
    expect(loadRules(dir).rules).toHaveLength(2);
  });

  it('type contradicting the baseline kind', () => {
    const dir = rulesDir({ 'amount.yaml': 'feature: amount\ntype: categorical\n' });
    expect(() => loadRules(dir, { baselineFeatures: new Map([['amount', 'numeric' as const]]) })).toThrow(
      /amount\.yaml:2 type: type categorical contradicts the baseline, where 'amount' is numeric/,
    );
  });

  it('a test that does not apply to the rule type', () => {
    const { problems } = problemsOf(rulesDir({ 'c.yaml': 'feature: c\ntype: categorical\ntests:\n  ks_statistic: { warn: 0.1 }\n' }));
    expect(problems[0]).toMatchObject({ line: 4, field: 'tests.ks_statistic' });
  });

  it('two files for the same feature and stream', () => {
    const dir = rulesDir({ 'a.yaml': 'feature: amount\n', 'b.yaml': 'feature: amount\n' });
    const { problems } = problemsOf(dir);
    expect(problems[0]).toMatchObject({ file: join(dir, 'b.yaml'), line: 1, message: expect.stringContaining(join(dir, 'a.yaml')) });
  });

  it('stream key contradicting the directory', () => {
    const { problems } = problemsOf(rulesDir({ 'payments/a.yaml': 'feature: a\nstream: clicks\n' }));
    expect(problems[0]).toMatchObject({ line: 2, field: 'stream' });
  });

  it('retrain on without a model, and repeat_interval with its alias', () => {
    const { problems } = problemsOf(rulesDir({ 'a.yaml': 'feature: a\nrepeat_interval: 1h\ncooldown: 2h\nretrain:\n  on: critical\n' }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'cooldown', line: 3 }),
        expect.objectContaining({ field: 'retrain.model', line: 5 }),
      ]),
    );
  });

  it('labels.model stands in for retrain.model', () => {
    const r = loadRules(rulesDir({ 'a.yaml': 'feature: a\nlabels: { model: churn }\nretrain: { on: critical }\n' })).ruleFor('s', 'a');
    expect(r.retrain).toMatchObject({ on: 'critical', model: 'churn' });
  });

  it('reports every bad file at once', () => {
    const dir = rulesDir({ 'a.yaml': 'feature: a\nbogus: 1\n', 'b.yaml': 'feature: [\n', 'c.yaml': 'feature: c\n' });
    const { problems, message } = problemsOf(dir);
    expect(new Set(problems.map((p) => p.file))).toEqual(new Set([join(dir, 'a.yaml'), join(dir, 'b.yaml')]));
    expect(message).toMatch(/^2 problems in rules under /);
  });

  it('a missing directory', () => {
    expect(() => loadRules('/nonexistent/rules')).toThrow(InputNotFoundError);
  });
});
