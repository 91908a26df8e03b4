/**
 * Everything the pipeline reads once at start besides the config: each stream's baseline
 * profile, the rules (checked against the baselines' features) and the stream specs the
 * window engine and store are built from. Any problem stops the start with a message that
 * names the stream and the path.
 */
import { existsSync, statSync } from 'node:fs';
import { loadBaseline } from '../baseline/store.js';
import type { Baseline } from '../baseline/types.js';
import type { StreamConfig } from '../config/types.js';
import type { FeatureKind } from '../drift/types.js';
import { BaselineError, ConfigError, DriftwatchError, errorMessage } from '../errors.js';
import { streamSpecFromConfig } from '../features/spec.js';
import type { StreamSpec } from '../features/types.js';
import { defaultRuleSet, loadRules } from '../rules/load.js';
import type { RuleSet } from '../rules/types.js';

/** Loads every stream's baseline (stream name → profile), failing on the first one missing. */
export async function loadStreamBaselines(streams: readonly StreamConfig[]): Promise<Map<string, Baseline>> {
  const out = new Map<string, Baseline>();
  for (const s of streams) {
    if (s.baseline === undefined) {
      throw new ConfigError(
        `streams.${s.name}: no baseline configured; drift is measured against one (build it with \`driftwatch baseline build --from <training file> --out <dir>\` and set streams[].baseline)`,
        { details: { stream: s.name } },
      );
    }
    if (!existsSync(s.baseline)) {
      throw new BaselineError(
        `stream '${s.name}': baseline ${s.baseline} not found (build it with \`driftwatch baseline build --from <training file> --out ${s.baseline}\`)`,
        { details: { stream: s.name, path: s.baseline } },
      );
    }
    try {
      out.set(s.name, await loadBaseline(s.baseline));
    } catch (err) {
      if (err instanceof DriftwatchError) {
        throw new BaselineError(`stream '${s.name}': ${err.message}`, { cause: err, details: { stream: s.name, path: s.baseline } });
      }
      throw new BaselineError(`stream '${s.name}': cannot load baseline ${s.baseline}: ${errorMessage(err)}`, {
        cause: err,
        details: { stream: s.name, path: s.baseline },
      });
    }
  }
  return out;
}

export interface LoadedRules {
  readonly rules: RuleSet;
  /** False when the rules directory does not exist and the built-in defaults apply. */
  readonly fromDir: boolean;
}

/**
 * Rules from `dir`, checked against the features of every baseline (a rule for a feature no
 * baseline has is a typo). Without the directory the built-in defaults apply.
 */
export function loadPipelineRules(dir: string, baselines: ReadonlyMap<string, Baseline>): LoadedRules {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { rules: defaultRuleSet(), fromDir: false };
  const kinds = new Map<string, FeatureKind>();
  for (const b of baselines.values()) {
    for (const [name, f] of b.features) if (!kinds.has(name)) kinds.set(name, f.kind);
  }
  return { rules: loadRules(dir, { baselineFeatures: kinds }), fromDir: true };
}

/** Window/feature specs of every stream: config features and kinds + the baseline's PSI edges. */
export function streamSpecs(streams: readonly StreamConfig[], baselines: ReadonlyMap<string, Baseline>): StreamSpec[] {
  return streams.map((s) => {
    const baseline = baselines.get(s.name);
    const spec = streamSpecFromConfig(s, baseline);
    for (const f of spec.features) {
      const kind = baseline?.features.get(f.name)?.kind;
      // A window sample of one kind cannot be compared with a baseline of the other.
      if (kind !== undefined && kind !== f.kind) {
        throw new ConfigError(
          `streams.${s.name}.categorical: '${f.name}' is ${kind} in baseline ${s.baseline ?? ''}; rebuild the baseline with --categorical ${f.name} or drop it from the list`,
          { details: { stream: s.name, feature: f.name } },
        );
      }
    }
    return spec;
  });
}
