/**
 * manifest.json of a stored baseline (FORMAT.md): its JSON shape, and a parser that checks
 * every field once at load so the rest of the code can trust the result.
 */
import { BaselineError } from '../errors.js';
import { BaselineFormat } from './types.js';

export interface ManifestValues {
  /** File name inside the profile directory. */
  readonly file: string;
  readonly encoding: 'float64-le';
  readonly count: number;
  readonly sha256: string;
}

interface ManifestFeatureCommon {
  readonly name: string;
  readonly row_count: number;
  readonly null_count: number;
  readonly nan_count: number;
  readonly inf_count: number;
}

export interface ManifestNumericFeature extends ManifestFeatureCommon {
  readonly kind: 'numeric';
  readonly finite_count: number;
  readonly sampled: boolean;
  readonly cap: number;
  readonly seed: number;
  readonly psi_bins: number;
  readonly psi_edges: readonly number[];
  readonly values: ManifestValues;
}

export interface ManifestCategoricalFeature extends ManifestFeatureCommon {
  readonly kind: 'categorical';
  /** [category, count] pairs, most frequent first. */
  readonly categories: readonly (readonly [string, number])[];
}

export type ManifestFeature = ManifestNumericFeature | ManifestCategoricalFeature;

export interface Manifest {
  readonly format: typeof BaselineFormat.name;
  readonly version: typeof BaselineFormat.version;
  readonly id: string;
  readonly source: string;
  readonly created_at: string;
  readonly created_by: string;
  readonly settings: { readonly cap: number; readonly seed: number; readonly psi_bins: number };
  readonly features: readonly ManifestFeature[];
}

type Json = Record<string, unknown>;

/** Checks `raw` (parsed JSON) field by field; `where` names the file in messages. */
export function parseManifest(raw: unknown, where: string): Manifest {
  const fail = (field: string, problem: string): never => {
    throw new BaselineError(`${where}: ${field} ${problem}`, { details: { path: where, field } });
  };
  const obj = (value: unknown, field: string): Json =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : fail(field, 'must be an object');
  const str = (o: Json, key: string, field: string): string =>
    typeof o[key] === 'string' ? (o[key] as string) : fail(`${field}.${key}`, 'must be a string');
  const count = (o: Json, key: string, field: string): number => {
    const v = o[key];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(`${field}.${key}`, 'must be a non-negative integer');
  };
  const int = (o: Json, key: string, field: string): number => {
    const v = o[key];
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(`${field}.${key}`, 'must be an integer');
  };

  const top = obj(raw, 'manifest');
  if (top.format !== BaselineFormat.name) {
    fail('format', `is ${JSON.stringify(top.format)}, expected "${BaselineFormat.name}" (not a driftwatch baseline?)`);
  }
  if (top.version !== BaselineFormat.version) {
    fail('version', `${JSON.stringify(top.version)} is not supported; this driftwatch reads version ${BaselineFormat.version}`);
  }
  const id = str(top, 'id', 'manifest');
  if (!/^[0-9a-f]{64}$/.test(id)) fail('id', 'must be 64 lowercase hex digits (sha256)');
  const s = obj(top.settings, 'settings');
  const settings = { cap: count(s, 'cap', 'settings'), seed: int(s, 'seed', 'settings'), psi_bins: count(s, 'psi_bins', 'settings') };
  if (!Array.isArray(top.features)) fail('features', 'must be an array');
  const names = new Set<string>();
  const features = (top.features as unknown[]).map((rawFeature, i): ManifestFeature => {
    const field = `features[${i}]`;
    const f = obj(rawFeature, field);
    const name = str(f, 'name', field);
    if (names.has(name)) fail(`${field}.name`, `repeats feature "${name}"`);
    names.add(name);
    const common = {
      name,
      row_count: count(f, 'row_count', field),
      null_count: count(f, 'null_count', field),
      nan_count: count(f, 'nan_count', field),
      inf_count: count(f, 'inf_count', field),
    };
    if (f.kind === 'numeric') {
      const edges = f.psi_edges;
      if (!Array.isArray(edges) || !edges.every((e, k) => Number.isFinite(e) && (k === 0 || (e as number) > (edges[k - 1] as number)))) {
        fail(`${field}.psi_edges`, 'must be an array of strictly increasing finite numbers');
      }
      const v = obj(f.values, `${field}.values`);
      if (v.encoding !== 'float64-le') fail(`${field}.values.encoding`, 'must be "float64-le"');
      const file = str(v, 'file', `${field}.values`);
      if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) fail(`${field}.values.file`, 'must be a plain file name');
      const sha256 = str(v, 'sha256', `${field}.values`);
      if (!/^[0-9a-f]{64}$/.test(sha256)) fail(`${field}.values.sha256`, 'must be 64 lowercase hex digits');
      if (typeof f.sampled !== 'boolean') fail(`${field}.sampled`, 'must be true or false');
      const feature: ManifestNumericFeature = {
        kind: 'numeric',
        ...common,
        finite_count: count(f, 'finite_count', field),
        sampled: f.sampled as boolean,
        cap: count(f, 'cap', field),
        seed: int(f, 'seed', field),
        psi_bins: count(f, 'psi_bins', field),
        psi_edges: edges as number[],
        values: { file, encoding: 'float64-le', count: count(v, 'count', `${field}.values`), sha256 },
      };
      if (feature.row_count !== feature.finite_count + feature.null_count + feature.nan_count + feature.inf_count) {
        fail(field, 'counts do not add up (row_count must equal finite + null + nan + inf)');
      }
      if (feature.values.count > feature.finite_count || feature.sampled !== feature.values.count < feature.finite_count) {
        fail(`${field}.values.count`, 'does not match finite_count and sampled');
      }
      return feature;
    }
    if (f.kind === 'categorical') {
      const cats = f.categories;
      if (!Array.isArray(cats)) fail(`${field}.categories`, 'must be an array of [category, count] pairs');
      const seen = new Set<string>();
      let total = 0;
      const categories = (cats as unknown[]).map((pair, k): readonly [string, number] => {
        const ok = Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && Number.isSafeInteger(pair[1]) && pair[1] > 0;
        if (!ok) fail(`${field}.categories[${k}]`, 'must be a [string, positive integer] pair');
        const [category, n] = pair as [string, number];
        if (seen.has(category)) fail(`${field}.categories[${k}]`, `repeats category ${JSON.stringify(category)}`);
        seen.add(category);
        total += n;
        return [category, n];
      });
      if (common.row_count !== total + common.null_count) fail(field, 'counts do not add up (row_count must equal category counts + null_count)');
      return { kind: 'categorical', ...common, categories };
    }
    return fail(`${field}.kind`, 'must be "numeric" or "categorical"');
  });
  return {
    format: BaselineFormat.name,
    version: BaselineFormat.version,
    id,
    source: str(top, 'source', 'manifest'),
    created_at: str(top, 'created_at', 'manifest'),
    created_by: typeof top.created_by === 'string' ? top.created_by : 'unknown',
    settings,
    features,
  };
}
