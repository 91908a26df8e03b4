/**
 * Builds a stream's StreamSpec from its config entry and baseline profile: which features to
 * window, their kind (config override > baseline > numeric) and the baseline's frozen PSI edges.
 */
import type { BaselineProfile } from '../drift/types.js';
import { ConfigError, UnknownFeatureError } from '../errors.js';
import type { FeatureSpec, KeyedAggregateSpec, StreamSpec, WindowSpec } from './types.js';
import { checkWindowSpec } from './windows.js';

/** The parts of a stream's config this needs (the config module's StreamConfig fits). */
export interface StreamFeatureConfig {
  readonly name: string;
  readonly windows: WindowSpec;
  /** Features to monitor; undefined = every feature of the baseline. */
  readonly features?: readonly string[];
  /** Features to treat as categorical whatever the baseline says. */
  readonly categorical?: readonly string[];
  readonly keyedAggregates?: readonly KeyedAggregateSpec[];
}

export function streamSpecFromConfig(stream: StreamFeatureConfig, baseline?: BaselineProfile): StreamSpec {
  const where = `streams.${stream.name}`;
  const names = stream.features ?? (baseline === undefined ? undefined : [...baseline.features.keys()]);
  if (names === undefined || names.length === 0) {
    throw new ConfigError(`${where}: no features to monitor (list them under features, or give a baseline)`);
  }
  const categorical = new Set(stream.categorical ?? []);
  const features: FeatureSpec[] = names.map((name) => {
    const base = baseline?.features.get(name);
    if (baseline !== undefined && base === undefined) {
      throw new UnknownFeatureError(`${where}.features: '${name}' is not in baseline ${baseline.source} (it has: ${[...baseline.features.keys()].join(', ')})`, {
        details: { stream: stream.name, feature: name, baseline: baseline.source },
      });
    }
    if (categorical.has(name) || base?.kind === 'categorical') return { name, kind: 'categorical' };
    return base?.kind === 'numeric' ? { name, kind: 'numeric', psiEdges: base.psiEdges } : { name, kind: 'numeric' };
  });
  return {
    name: stream.name,
    windows: checkWindowSpec(stream.windows, `${where}.windows`),
    features,
    keyedAggregates: stream.keyedAggregates ?? [],
  };
}
