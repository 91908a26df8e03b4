/**
 * Drift of one closed window: each monitored feature's values are read back from the store
 * (`windowSample`: exact values, so KS and Wasserstein are exact too), compared with the
 * baseline at the PSI bin count its rule asks for, and judged by the rules as one family
 * (multiple-comparison adjustment across the window's p-values).
 */
import { compareFeature } from '../drift/compare.js';
import type { BaselineProfile, FeatureDrift, FeatureSample } from '../drift/types.js';
import { UnknownFeatureError } from '../errors.js';
import type { ClosedWindow } from '../features/types.js';
import { evaluateWindow } from '../rules/evaluate.js';
import type { WindowEvaluation } from '../rules/evaluate.js';
import type { RuleSet } from '../rules/types.js';

/** What evaluation needs of the store (DriftStore fits). */
export interface SampleSource {
  windowSample(stream: string, start: number, end: number, feature: string): Promise<FeatureSample>;
}

export interface WindowEvaluatorDeps {
  readonly samples: SampleSource;
  readonly baselines: ReadonlyMap<string, BaselineProfile>;
  readonly rules: RuleSet;
}

export async function evaluateClosedWindow(deps: WindowEvaluatorDeps, window: ClosedWindow): Promise<WindowEvaluation[]> {
  const baseline = deps.baselines.get(window.stream);
  if (baseline === undefined) throw new UnknownFeatureError(`stream '${window.stream}' has no baseline loaded`, { details: { stream: window.stream } });
  const drifts: FeatureDrift[] = [];
  for (const { feature } of window.features) {
    const base = baseline.features.get(feature);
    if (base === undefined) {
      throw new UnknownFeatureError(`stream '${window.stream}': feature '${feature}' is not in baseline ${baseline.source}`, {
        details: { stream: window.stream, feature },
      });
    }
    const sample = await deps.samples.windowSample(window.stream, window.start, window.end, feature);
    const rule = deps.rules.ruleFor(window.stream, feature);
    // compareFeature handles n = 0 (no metrics); evaluateWindow turns n < min_samples into insufficient_data.
    drifts.push(compareFeature(base, sample, { psiBins: rule.psiBins }));
  }
  return evaluateWindow(deps.rules, window.stream, drifts);
}
