/**
 * Batch drift check: compare a current data file with a baseline (a stored profile, or a
 * raw training file profiled in memory), feature by feature.
 */
import { stat } from 'node:fs/promises';
import { compareFeature } from '../drift/compare.js';
import type { BaselineProfile, DriftStatus, FeatureBaseline, FeatureDrift, FeatureSample } from '../drift/types.js';
import { BaselineError, InputError, UnknownFeatureError } from '../errors.js';
import type { TableFormat, TableReader } from '../store/read-table.js';
import { ColumnClasses, withTable } from '../store/read-table.js';
import type { BuildProgress } from './build.js';
import { baselineFromTable } from './build.js';
import { isBaselineDir, loadBaseline } from './store.js';
import type { StatusDecider } from './status.js';
import { statusFromMetrics } from './status.js';
import { categoricalSampleFromCounts, numericSampleFromColumn } from './summarise.js';

export interface FeatureCheck extends FeatureDrift {
  readonly status: DriftStatus;
}

export interface CheckReport {
  readonly baseline: { readonly id: string; readonly source: string; readonly path: string; readonly stored: boolean };
  readonly current: string;
  readonly features: readonly FeatureCheck[];
  /** Baseline features the current data does not have (only when no explicit list was given). */
  readonly missingFeatures: readonly string[];
}

export interface CheckPhaseProgress extends BuildProgress {
  readonly phase: 'baseline' | 'compare';
}

export interface CompareOptions {
  features?: readonly string[];
  /** PSI bins; when it differs from the baseline's, edges are recomputed from its values. */
  psiBins?: number;
  decideStatus?: StatusDecider;
  onProgress?: (progress: CheckPhaseProgress) => void;
  /** Sees each feature's baseline and current sample (the HTML report draws them). */
  onSample?: (feature: string, baseline: FeatureBaseline, current: FeatureSample) => void;
}

export interface CheckOptions extends CompareOptions {
  /** Stored profile directory, or a raw Parquet/CSV/JSONL training file. */
  baseline: string;
  current: string;
  baselineFormat?: TableFormat;
  currentFormat?: TableFormat;
  /** Builds the status decider once the baseline is known (e.g. rules checked against its features). */
  makeStatusDecider?: (baseline: BaselineProfile) => StatusDecider;
}

/** Reads the current side of one feature in the shape its baseline needs. */
async function currentSample(table: TableReader, baseline: FeatureBaseline): Promise<FeatureSample> {
  if (baseline.kind === 'categorical') return categoricalSampleFromCounts(await table.countValues(baseline.name));
  return numericSampleFromColumn(await table.readNumeric(baseline.name));
}

/** Which features to compare: the explicit list (all must exist on both sides) or the common ones. */
export function selectFeatures(
  baseline: BaselineProfile,
  baselinePath: string,
  current: TableReader,
  features: readonly string[] | undefined,
): { selected: string[]; missing: string[] } {
  if (features !== undefined) {
    for (const name of features) {
      if (!baseline.features.has(name)) {
        throw new UnknownFeatureError(`${baselinePath}: baseline has no feature "${name}"; it has: ${[...baseline.features.keys()].join(', ')}`, {
          details: { path: baselinePath, feature: name },
        });
      }
      current.column(name);
    }
    return { selected: [...new Set(features)], missing: [] };
  }
  const currentNames = new Set(current.columns.map((c) => c.name));
  const names = [...baseline.features.keys()];
  const selected = names.filter((n) => currentNames.has(n));
  if (selected.length === 0) {
    throw new InputError(
      `no common features between baseline ${baselinePath} (${names.join(', ')}) and ${current.path} (${[...currentNames].join(', ')})`,
      { details: { baseline: baselinePath, current: current.path } },
    );
  }
  return { selected, missing: names.filter((n) => !currentNames.has(n)) };
}

/** Compares the selected features of an open table against a baseline. */
export async function checkTable(
  baseline: BaselineProfile,
  baselinePath: string,
  current: TableReader,
  options: CompareOptions = {},
): Promise<{ features: FeatureCheck[]; missing: string[] }> {
  const decide = options.decideStatus ?? statusFromMetrics;
  const { selected, missing } = selectFeatures(baseline, baselinePath, current, options.features);
  const compareOptions = options.psiBins === undefined ? {} : { psiBins: options.psiBins };
  const features: FeatureCheck[] = [];
  for (const [index, name] of selected.entries()) {
    options.onProgress?.({ phase: 'compare', feature: name, index, total: selected.length });
    const base = baseline.features.get(name)!;
    const sample = await currentSample(current, base);
    options.onSample?.(name, base, sample);
    const drift = compareFeature(base, sample, compareOptions);
    features.push({ ...drift, status: decide(drift) });
  }
  return { features, missing };
}

/** A raw training file is profiled only for the features the check will use. */
async function profileRawBaseline(path: string, current: TableReader, options: CheckOptions): Promise<BaselineProfile> {
  return withTable(path, options.baselineFormat === undefined ? {} : { format: options.baselineFormat }, (table) => {
    const currentNames = new Set(current.columns.map((c) => c.name));
    const features =
      options.features ?? table.columns.filter((c) => c.columnClass !== ColumnClasses.other && currentNames.has(c.name)).map((c) => c.name);
    if (features.length === 0) {
      throw new InputError(`no common features between baseline ${path} and ${current.path}`, { details: { baseline: path, current: current.path } });
    }
    return baselineFromTable(table, {
      features,
      ...(options.psiBins === undefined ? {} : { psiBins: options.psiBins }),
      onProgress: (p) => options.onProgress?.({ ...p, phase: 'baseline' }),
    });
  });
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const info = await stat(options.baseline).catch(() => null);
  const storedProfile = info === null ? !/\.(parquet|pq|csv|tsv|txt|jsonl|ndjson|json)(\.gz|\.zst)?$/i.test(options.baseline) : info.isDirectory();
  if (storedProfile && info !== null && !(await isBaselineDir(options.baseline))) {
    throw new BaselineError(`${options.baseline}: directory is not a baseline profile (no manifest.json)`, { details: { path: options.baseline } });
  }
  // Load a stored profile before touching the current file so a bad profile fails fast.
  const stored = storedProfile ? await loadBaseline(options.baseline) : undefined;
  return withTable(options.current, options.currentFormat === undefined ? {} : { format: options.currentFormat }, async (current) => {
    const baseline = stored ?? (await profileRawBaseline(options.baseline, current, options));
    const decideStatus = options.makeStatusDecider?.(baseline) ?? options.decideStatus;
    const { features, missing } = await checkTable(baseline, options.baseline, current, {
      ...options,
      ...(decideStatus === undefined ? {} : { decideStatus }),
    });
    return {
      baseline: { id: baseline.id, source: baseline.source, path: options.baseline, stored: stored !== undefined },
      current: options.current,
      features,
      missingFeatures: missing,
    };
  });
}
