/**
 * Pure evaluation of a rule against one feature's drift result.
 *
 * How breaches combine into a status:
 *  - effect sizes (PSI, KS statistic, JS distance, normed Wasserstein) give the severity;
 *  - p-value tests, when the rule has some that apply to the feature, are a second gate:
 *    with effect-size tests present the distribution status is the *lower* of the two
 *    (critical needs a critical effect AND a critical p-value); alone they set it;
 *  - the null-rate increase is a data-quality signal and counts on its own.
 */
import type { DriftStatus, FeatureDrift } from '../drift/types.js';
import { adjustPValues } from './p-adjust.js';
import { levelReached, ruleTestNames, ruleTests } from './tests.js';
import type { TestGroup } from './tests.js';
import type { AlertLevel, Breach, Rule, RuleEvaluation, RuleSet, RuleTestName } from './types.js';

/** p-values after multiple-comparison adjustment, by test name. */
export type AdjustedPValues = Partial<Record<RuleTestName, number>>;

const RANK: Record<AlertLevel, number> = { warn: 1, critical: 2 };
const STATUS_OF: readonly DriftStatus[] = ['ok', 'warn', 'critical'];

/** Tests of the rule that apply to this drift result and have a value. */
function applicable(rule: Rule, drift: FeatureDrift): RuleTestName[] {
  return ruleTestNames.filter((name) => {
    const test = ruleTests[name];
    return (
      rule.tests[name] !== undefined &&
      (test.kinds as readonly string[]).includes(drift.type) &&
      test.value(drift) !== undefined
    );
  });
}

/**
 * Evaluates one feature. `n` is the current sample size checked against `min_samples`
 * (defaults to `drift.n_current`). `adjusted` overrides p-values (see evaluateWindow).
 */
export function evaluateRule(rule: Rule, drift: FeatureDrift, n: number = drift.n_current, adjusted: AdjustedPValues = {}): RuleEvaluation {
  if (n < rule.minSamples || n === 0) return Object.freeze({ status: 'insufficient_data', breaches: Object.freeze([]) });
  const names = applicable(rule, drift);
  const present = new Set<TestGroup>();
  const worst: Record<TestGroup, number> = { effect: 0, significance: 0, quality: 0 };
  const breaches: Breach[] = [];
  for (const name of names) {
    const test = ruleTests[name];
    const raw = test.value(drift) as number;
    const value = adjusted[name] ?? raw;
    if (Number.isNaN(value)) continue;
    present.add(test.group);
    const reached = levelReached(test.direction, value, rule.tests[name]!);
    if (reached === undefined) continue;
    worst[test.group] = Math.max(worst[test.group], RANK[reached.level]);
    breaches.push(
      Object.freeze({ test: name, value, threshold: reached.threshold, level: reached.level, ...(value !== raw ? { raw } : {}) }),
    );
  }
  let distribution = 0;
  if (present.has('effect') && present.has('significance')) distribution = Math.min(worst.effect, worst.significance);
  else if (present.has('effect')) distribution = worst.effect;
  else if (present.has('significance')) distribution = worst.significance;
  const status = STATUS_OF[Math.max(distribution, worst.quality)] as DriftStatus;
  return Object.freeze({ status, breaches: Object.freeze(breaches) });
}

export interface WindowEvaluation {
  readonly feature: string;
  readonly drift: FeatureDrift;
  readonly rule: Rule;
  readonly evaluation: RuleEvaluation;
}

/**
 * Evaluates all features of one stream's window, adjusting p-values across the family of
 * p-value tests (one per feature and test) with the stream's `p_adjust` method.
 */
export function evaluateWindow(rules: RuleSet, stream: string, drifts: readonly FeatureDrift[]): WindowEvaluation[] {
  const method = rules.pAdjustFor(stream);
  const withRules = drifts.map((drift) => ({ drift, rule: rules.ruleFor(stream, drift.feature) }));
  const family: Array<{ index: number; test: RuleTestName; p: number }> = [];
  withRules.forEach(({ drift, rule }, index) => {
    if (drift.n_current < rule.minSamples || drift.n_current === 0) return;
    for (const name of applicable(rule, drift)) {
      if (ruleTests[name].group !== 'significance') continue;
      const p = ruleTests[name].value(drift) as number;
      if (!Number.isNaN(p)) family.push({ index, test: name, p });
    }
  });
  const adjustedValues = adjustPValues(family.map((f) => f.p), method);
  const perFeature = withRules.map((): AdjustedPValues => ({}));
  family.forEach((f, i) => {
    perFeature[f.index]![f.test] = adjustedValues[i]!;
  });
  return withRules.map(({ drift, rule }, i) => ({
    feature: drift.feature,
    drift,
    rule,
    evaluation: evaluateRule(rule, drift, drift.n_current, perFeature[i]),
  }));
}

/**
 * A drop-in for the batch `check` command's `statusFromMetrics(drift)`: the status the
 * rules give one feature (no multiple-comparison adjustment; use evaluateWindow for that).
 */
export function ruleStatusFunction(rules: RuleSet, stream = '*'): (drift: FeatureDrift) => DriftStatus {
  return (drift) => evaluateRule(rules.ruleFor(stream, drift.feature), drift).status;
}
