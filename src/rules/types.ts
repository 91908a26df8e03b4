/**
 * Typed, frozen shapes of per-feature alert rules (one YAML file per feature in `rules/`).
 * YAML keys are snake_case; these objects are what the rest of the code trusts after
 * `loadRules` validated the files once.
 */
import type { DriftStatus, FeatureKind } from '../drift/types.js';

/** Threshold tests a rule can gate on; names match the YAML keys under `tests:`. */
export const RuleTestNames = {
  psi: 'psi',
  ksStatistic: 'ks_statistic',
  ksPvalue: 'ks_pvalue',
  chi2Pvalue: 'chi2_pvalue',
  jensenShannon: 'jensen_shannon',
  wassersteinNormed: 'wasserstein_normed',
  nullRateIncrease: 'null_rate_increase',
} as const;
export type RuleTestName = (typeof RuleTestNames)[keyof typeof RuleTestNames];

export const AlertLevels = { warn: 'warn', critical: 'critical' } as const;
export type AlertLevel = (typeof AlertLevels)[keyof typeof AlertLevels];

/** Multiple-comparison control over one stream's p-value tests in one window. */
export const PAdjustMethods = {
  none: 'none',
  bonferroni: 'bonferroni',
  benjaminiHochberg: 'benjamini-hochberg',
} as const;
export type PAdjustMethod = (typeof PAdjustMethods)[keyof typeof PAdjustMethods];

export const RetrainTriggers = { critical: 'critical', off: 'off' } as const;
export type RetrainTrigger = (typeof RetrainTriggers)[keyof typeof RetrainTriggers];

/** Thresholds of one test; an absent level never fires. */
export interface Thresholds {
  readonly warn?: number;
  readonly critical?: number;
}

export interface RetrainPolicy {
  /**
   * `critical`: a firing critical alert on one of the model's features asks for a retrain
   * (and so does `driftedShare`, if set). `off` turns both off.
   */
  readonly on: RetrainTrigger;
  /** Model the feature feeds (`retrain.model`, else `labels.model`); required when on. */
  readonly model?: string;
  /** Also ask for a retrain when this share (0..1] of the model's features is firing (any level). */
  readonly driftedShare?: number;
  /** At most one retrain event per model per this many ms (incident cooldown). */
  readonly cooldownMs: number;
}

export interface Rule {
  /** `<stream>/<feature>`; `*` stands for any. Part of the alert identity. */
  readonly id: string;
  /** Files this rule was assembled from, most specific last. */
  readonly sources: readonly string[];
  /** Feature name, or `*` for a defaults rule. */
  readonly feature: string;
  /** Stream name, or `*` for any stream. */
  readonly stream: string;
  readonly type?: FeatureKind;
  readonly tests: Readonly<Partial<Record<RuleTestName, Thresholds>>>;
  readonly psiBins: number;
  readonly minSamples: number;
  /** Consecutive windows over threshold before an alert fires. */
  readonly fireAfter: number;
  /** Consecutive windows under threshold before a firing alert resolves. */
  readonly resolveAfter: number;
  /** While firing, re-notify at most this often (window time). */
  readonly repeatIntervalMs: number;
  /** Channel names; `*` = every configured channel; empty = track state, notify nobody. */
  readonly channels: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly retrain: RetrainPolicy;
}

export interface RuleSet {
  /** Directory the rules were loaded from (undefined for built-in defaults only). */
  readonly dir?: string;
  /** Explicit per-feature rules. */
  readonly rules: readonly Rule[];
  /** Multiple-comparison method for a stream (its `_defaults.yaml`, else the global one). */
  pAdjustFor(stream: string): PAdjustMethod;
  /** The defaults rule for a stream (features without a file of their own). */
  defaultsFor(stream: string): Rule;
  /** The rule for a feature: exact stream, then any stream, then stream defaults, then defaults. */
  ruleFor(stream: string, feature: string): Rule;
}

export interface Breach {
  readonly test: RuleTestName;
  /** Value compared (for p-value tests after multiple-comparison adjustment). */
  readonly value: number;
  readonly threshold: number;
  readonly level: AlertLevel;
  /** Unadjusted p-value when `value` was adjusted. */
  readonly raw?: number;
}

export interface RuleEvaluation {
  readonly status: DriftStatus;
  readonly breaches: readonly Breach[];
}
