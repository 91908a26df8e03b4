import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../src/alerts/types.js';
import { loadRules } from '../../src/rules/load.js';
import type { RuleSet } from '../../src/rules/types.js';
import { decideRetrain } from '../../src/retrain/trigger.js';
import type { RetrainFeatureView } from '../../src/retrain/trigger.js';
import type { RetrainIncident } from '../../src/retrain/types.js';
import { drift, rulesDir } from '../rules/helpers.js';

const W = 300_000;
const H = 3_600_000;

function rules(extra = ''): RuleSet {
  return loadRules(
    rulesDir({
      '_defaults.yaml': `retrain: { on: critical, model: fraud, cooldown: 2h${extra} }\n`,
      'other.yaml': 'feature: other\nretrain: off\n',
      'churn.yaml': 'feature: churn_x\nretrain: { on: critical, model: churn }\n',
    }),
  );
}

function view(set: RuleSet, feature: string, state: AlertRecord['state'], severity: AlertRecord['severity']): RetrainFeatureView {
  const rule = set.ruleFor('tx', feature);
  return {
    feature,
    rule,
    drift: drift(feature, { psi: 0.4 }),
    record: {
      stream: 'tx', feature, ruleId: rule.id, state, severity, overCount: 1, underCount: 0, firedAt: 0, lastNotifiedAt: 0, lastWindowEnd: 0,
      breaches: severity ? [{ test: 'psi', value: 0.4, threshold: 0.25, level: severity }] : [],
    },
  };
}

/** Runs windows in order carrying incident state; returns models with an event per window. */
function runWindows(set: RuleSet, windows: Array<Array<[string, AlertRecord['state'], AlertRecord['severity']]>>) {
  let incidents = new Map<string, RetrainIncident>();
  return windows.map((features, i) => {
    const d = decideRetrain({
      stream: 'tx',
      windowStart: i * W,
      windowEnd: (i + 1) * W,
      features: features.map(([f, s, sev]) => view(set, f, s, sev)),
      incidents,
      now: 0,
    });
    incidents = new Map([...incidents, ...d.incidents.map((x) => [x.model, x] as const)]);
    return d.events.map((e) => `${e.model}:${e.reason}`);
  });
}

describe('decideRetrain', () => {
  it('one event per model per incident: critical opens, staying critical sends nothing more', () => {
    const set = rules();
    const out = runWindows(set, [
      [['a', 'firing', 'warn'], ['b', 'ok', null]],
      [['a', 'firing', 'critical'], ['b', 'ok', null]],
      [['a', 'firing', 'critical'], ['b', 'firing', 'critical']],
      [['a', 'firing', 'critical'], ['b', 'firing', 'warn']],
    ]);
    expect(out).toEqual([[], ['fraud:critical_drift'], [], []]);
  });

  it('a pending (not yet firing) critical does not trigger', () => {
    expect(runWindows(rules(), [[['a', 'pending', 'critical']]])).toEqual([[]]);
  });

  it('after the incident closes, a new one within the cooldown is silent; after it, a new event', () => {
    const set = rules();
    const crit: Array<[string, AlertRecord['state'], AlertRecord['severity']]> = [['a', 'firing', 'critical']];
    const calm: Array<[string, AlertRecord['state'], AlertRecord['severity']]> = [['a', 'resolved', 'critical']];
    // windows: 0 crit (event), 1 calm (close), 2 crit (within 2h: silent), 3..24 calm, 25 crit (> 2h after window 0)
    const windows = [crit, calm, crit, ...Array.from({ length: 22 }, () => calm), crit];
    const out = runWindows(set, windows);
    expect(out[0]).toEqual(['fraud:critical_drift']);
    expect(out[2]).toEqual([]);
    expect(out[25]).toEqual(['fraud:critical_drift']);
    expect(out.flat()).toHaveLength(2);
    expect(25 * W - 0).toBeGreaterThan(2 * H);
  });

  it('drifted_share: enough of the model features firing at warn level triggers', () => {
    const set = rules(', drifted_share: 0.5');
    const out = runWindows(set, [
      [['a', 'firing', 'warn'], ['b', 'ok', null], ['c', 'ok', null]],
      [['a', 'firing', 'warn'], ['b', 'firing', 'warn'], ['c', 'ok', null]],
    ]);
    expect(out).toEqual([[], ['fraud:drifted_share']]);
  });

  it('only features whose rule names the model count; retrain off counts for nothing', () => {
    const set = rules();
    const out = runWindows(set, [[['other', 'firing', 'critical'], ['churn_x', 'firing', 'critical']]]);
    expect(out).toEqual([['churn:critical_drift']]);
  });

  it('the event carries the firing features with breaches and metrics', () => {
    const set = rules();
    const d = decideRetrain({
      stream: 'tx',
      windowStart: 0,
      windowEnd: W,
      features: [view(set, 'a', 'firing', 'critical'), view(set, 'b', 'firing', 'warn'), view(set, 'c', 'ok', null)],
      incidents: new Map(),
      baselineId: 'b1',
      parquetPaths: ['p.parquet'],
      now: 1000,
    });
    expect(d.events).toHaveLength(1);
    const e = d.events[0]!;
    expect(e.drifted_features.map((f) => [f.feature, f.severity])).toEqual([['a', 'critical'], ['b', 'warn']]);
    expect(e.drifted_share).toBeCloseTo(2 / 3, 12);
    expect(e.baseline_id).toBe('b1');
    expect(e.parquet_paths).toEqual(['p.parquet']);
    expect(d.incidents).toEqual([{ model: 'fraud', open: true, openedAt: W, lastEventAt: W, lastEventKey: e.idempotency_key }]);
  });
});
