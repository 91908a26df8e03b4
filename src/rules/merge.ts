/**
 * Layers rule files (built-in defaults → `_defaults.yaml` → `<stream>/_defaults.yaml` →
 * feature file) into one frozen Rule, remembering which file and line set each threshold
 * so a contradiction can be reported where it was written.
 */
import type { FeatureKind } from '../drift/types.js';
import { parseDuration } from '../util/duration.js';
import { errorMessage } from '../errors.js';
import type { RawRuleDoc, RuleProblem } from './parse-file.js';
import { isRuleTestName, ruleTests, warnBelowCritical } from './tests.js';
import type { PAdjustMethod, RetrainTrigger, Rule, RuleTestName, Thresholds } from './types.js';

export interface Origin {
  readonly file: string;
  readonly line: number;
}

interface Level {
  value: number;
  origin: Origin;
}

export interface Draft {
  tests: Map<RuleTestName, { warn?: Level; critical?: Level }>;
  psiBins: number;
  minSamples: number;
  fireAfter: number;
  resolveAfter: number;
  repeatIntervalMs: number;
  channels: string[];
  labels: Record<string, string>;
  retrain: { on: RetrainTrigger; onOrigin?: Origin; model?: string; driftedShare?: number; cooldownMs: number };
  pAdjust: PAdjustMethod;
  type?: FeatureKind;
}

export interface Layer {
  readonly path: string;
  readonly doc: RawRuleDoc;
  lineOf(pointer: string, key?: string): number;
}

export function emptyDraft(): Draft {
  return {
    tests: new Map(),
    psiBins: 10,
    minSamples: 1,
    fireAfter: 1,
    resolveAfter: 1,
    repeatIntervalMs: 0,
    channels: [],
    labels: {},
    retrain: { on: 'off', cooldownMs: 0 },
    pAdjust: 'none',
  };
}

export function cloneDraft(d: Draft): Draft {
  return {
    ...d,
    tests: new Map([...d.tests].map(([k, v]) => [k, { ...v }])),
    channels: [...d.channels],
    labels: { ...d.labels },
    retrain: { ...d.retrain },
  };
}

function duration(layer: Layer, key: string, value: string | number, problems: RuleProblem[]): number | undefined {
  try {
    return parseDuration(value, key);
  } catch (err) {
    problems.push({ file: layer.path, line: layer.lineOf(`/${key}`), field: key, message: errorMessage(err) });
    return undefined;
  }
}

/** Applies one file's keys over the draft (mutates it). */
export function applyLayer(draft: Draft, layer: Layer, problems: RuleProblem[]): void {
  const d = layer.doc;
  for (const [name, levels] of Object.entries(d.tests ?? {})) {
    if (!isRuleTestName(name)) continue; // the schema already refused it
    if (levels === false || levels === null) {
      draft.tests.delete(name);
      continue;
    }
    const entry = draft.tests.get(name) ?? {};
    for (const level of ['warn', 'critical'] as const) {
      if (!(level in levels)) continue;
      const v = levels[level];
      if (v === null || v === undefined) delete entry[level];
      else entry[level] = { value: v, origin: { file: layer.path, line: layer.lineOf(`/tests/${name}/${level}`) } };
    }
    draft.tests.set(name, entry);
  }
  if (d.psi_bins !== undefined) draft.psiBins = d.psi_bins;
  if (d.min_samples !== undefined) draft.minSamples = d.min_samples;
  if (d.fire_after !== undefined) draft.fireAfter = d.fire_after;
  if (d.resolve_after !== undefined) draft.resolveAfter = d.resolve_after;
  if (d.repeat_interval !== undefined && d.cooldown !== undefined) {
    problems.push({
      file: layer.path,
      line: layer.lineOf('/cooldown'),
      field: 'cooldown',
      message: 'cooldown is an alias of repeat_interval; set only one of them',
    });
  }
  const repeat = d.repeat_interval ?? d.cooldown;
  if (repeat !== undefined) {
    const key = d.repeat_interval !== undefined ? 'repeat_interval' : 'cooldown';
    draft.repeatIntervalMs = duration(layer, key, repeat, problems) ?? draft.repeatIntervalMs;
  }
  if (d.channels !== undefined) draft.channels = [...d.channels];
  if (d.labels !== undefined) {
    for (const [k, v] of Object.entries(d.labels)) draft.labels[k] = String(v);
  }
  if (d.retrain !== undefined) {
    const origin = { file: layer.path, line: layer.lineOf('/retrain') };
    if (d.retrain === false || d.retrain === 'off') {
      draft.retrain = { ...draft.retrain, on: 'off', onOrigin: origin };
    } else {
      const r = d.retrain;
      if (r.on !== undefined) draft.retrain = { ...draft.retrain, on: r.on, onOrigin: origin };
      if (r.model !== undefined) draft.retrain.model = r.model;
      if (r.drifted_share !== undefined) draft.retrain.driftedShare = r.drifted_share;
      if (r.cooldown !== undefined) {
        draft.retrain.cooldownMs = duration(layer, 'retrain.cooldown', r.cooldown, problems) ?? draft.retrain.cooldownMs;
      }
    }
  }
  if (d.p_adjust !== undefined) draft.pAdjust = d.p_adjust;
  if (d.type !== undefined) draft.type = d.type;
}

export interface RuleIdentity {
  readonly feature: string;
  readonly stream: string;
  readonly sources: readonly string[];
}

/** Checks the merged draft and turns it into a frozen Rule; problems are appended. */
export function finalizeRule(draft: Draft, who: RuleIdentity, own: Layer | undefined, problems: RuleProblem[]): Rule {
  const tests: Partial<Record<RuleTestName, Thresholds>> = {};
  const mostSpecific = who.sources[who.sources.length - 1];
  for (const [name, levels] of draft.tests) {
    const { warn, critical } = levels;
    if (warn === undefined && critical === undefined) continue;
    const test = ruleTests[name];
    if (warn !== undefined && critical !== undefined && !warnBelowCritical(test.direction, warn.value, critical.value)) {
      const at = critical.origin.file === mostSpecific ? critical.origin : warn.origin;
      const other = at === warn.origin ? critical.origin : warn.origin;
      const from = other.file === at.file ? '' : ` (${at === warn.origin ? 'critical' : 'warn'} from ${other.file}:${other.line})`;
      const how = test.direction === 'higher-means-drift' ? 'lower' : 'higher';
      problems.push({
        file: at.file,
        line: at.line,
        field: `tests.${name}`,
        message: `warn ${warn.value} must be less severe than critical ${critical.value} (for ${test.label} warn must be ${how})${from}`,
      });
    }
    const t: { warn?: number; critical?: number } = {};
    if (warn !== undefined) t.warn = warn.value;
    if (critical !== undefined) t.critical = critical.value;
    tests[name] = Object.freeze(t);
  }
  if (own !== undefined && draft.type !== undefined) {
    for (const [name, levels] of Object.entries(own.doc.tests ?? {})) {
      if (!isRuleTestName(name) || levels === false || levels === null) continue;
      if (!(ruleTests[name].kinds as readonly string[]).includes(draft.type)) {
        problems.push({
          file: own.path,
          line: own.lineOf(`/tests/${name}`),
          field: `tests.${name}`,
          message: `${name} applies to ${ruleTests[name].kinds.join('/')} features, but this rule's type is ${draft.type}`,
        });
      }
    }
  }
  const model = draft.retrain.model ?? draft.labels.model;
  const retrainOn = draft.retrain.on === 'critical';
  if (retrainOn && model === undefined) {
    const at = draft.retrain.onOrigin ?? { file: mostSpecific ?? '(rules)', line: 1 };
    problems.push({
      file: at.file,
      line: at.line,
      field: 'retrain.model',
      message: `retraining is on for feature '${who.feature}' but no model is named (set retrain.model or labels.model)`,
    });
  }
  const retrain = Object.freeze({
    on: draft.retrain.on,
    ...(model !== undefined ? { model } : {}),
    ...(draft.retrain.driftedShare !== undefined ? { driftedShare: draft.retrain.driftedShare } : {}),
    cooldownMs: draft.retrain.cooldownMs,
  });
  return Object.freeze({
    id: `${who.stream}/${who.feature}`,
    sources: Object.freeze([...who.sources]),
    feature: who.feature,
    stream: who.stream,
    ...(draft.type !== undefined ? { type: draft.type } : {}),
    tests: Object.freeze(tests),
    psiBins: draft.psiBins,
    minSamples: draft.minSamples,
    fireAfter: draft.fireAfter,
    resolveAfter: draft.resolveAfter,
    repeatIntervalMs: draft.repeatIntervalMs,
    channels: Object.freeze([...draft.channels]),
    labels: Object.freeze({ ...draft.labels }),
    retrain,
  });
}
