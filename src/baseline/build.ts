/**
 * Build a baseline profile from a training file: pick the features, infer numeric vs
 * categorical from the column types, read each column through DuckDB and summarise it.
 */
import type { FeatureBaseline, FeatureKind } from '../drift/types.js';
import { InputError, UnknownFeatureError, UsageError } from '../errors.js';
import type { TableColumn, TableFormat, TableReader } from '../store/read-table.js';
import { ColumnClasses, withTable } from '../store/read-table.js';
import { baselineId } from './id.js';
import { categoricalBaselineFromCounts, numericBaselineFromColumn } from './summarise.js';
import type { Baseline, BaselineSettings } from './types.js';
import { defaultBaselineSettings } from './types.js';

export interface BuildProgress {
  readonly feature: string;
  readonly index: number;
  readonly total: number;
}

export interface BaselineFromTableOptions {
  /** Features to include (default: every numeric or categorical column). */
  features?: readonly string[];
  /** Treat these as categorical whatever their column type. */
  categorical?: readonly string[];
  /** Treat these as numeric whatever their column type (non-numeric text is then an error). */
  numeric?: readonly string[];
  cap?: number;
  seed?: number;
  psiBins?: number;
  onProgress?: (progress: BuildProgress) => void;
  /** Columns left out because their type is neither numeric nor categorical. */
  onWarning?: (message: string) => void;
  /** Injectable clock for createdAt. */
  now?: () => Date;
}

export interface BuildBaselineOptions extends BaselineFromTableOptions {
  /** Training data: Parquet, CSV or JSON Lines. */
  from: string;
  /** Overrides format detection by extension. */
  format?: TableFormat;
}

export interface PlannedFeature {
  readonly name: string;
  readonly kind: FeatureKind;
}

export function resolveSettings(options: { cap?: number; seed?: number; psiBins?: number }): BaselineSettings {
  const settings = {
    cap: options.cap ?? defaultBaselineSettings.cap,
    seed: options.seed ?? defaultBaselineSettings.seed,
    psiBins: options.psiBins ?? defaultBaselineSettings.psiBins,
  };
  if (!Number.isSafeInteger(settings.cap) || settings.cap < 1) throw new UsageError(`cap must be a positive integer, got ${settings.cap}`);
  if (!Number.isSafeInteger(settings.seed)) throw new UsageError(`seed must be an integer, got ${settings.seed}`);
  if (!Number.isSafeInteger(settings.psiBins) || settings.psiBins < 2) throw new UsageError(`PSI bins must be an integer ≥ 2, got ${settings.psiBins}`);
  return settings;
}

/**
 * Decides which columns become features and of which kind. Pure, so the rules are easy
 * to test: explicit overrides win, then numeric DuckDB types → numeric, VARCHAR/BOOLEAN/
 * ENUM → categorical; other types (dates, lists, JSON…) need an override.
 */
export function planFeatures(
  path: string,
  columns: readonly TableColumn[],
  options: Pick<BaselineFromTableOptions, 'features' | 'categorical' | 'numeric'>,
): { planned: PlannedFeature[]; skipped: TableColumn[] } {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const known = (name: string, flag: string): TableColumn => {
    const column = byName.get(name);
    if (column === undefined) {
      throw new UnknownFeatureError(`${path}: unknown feature "${name}"${flag}; columns are: ${columns.map((c) => c.name).join(', ') || '(none)'}`, {
        details: { path, feature: name },
      });
    }
    return column;
  };
  const categorical = new Set(options.categorical ?? []);
  const numeric = new Set(options.numeric ?? []);
  for (const name of categorical) {
    known(name, ' (in categorical)');
    if (numeric.has(name)) throw new UsageError(`feature "${name}" cannot be both numeric and categorical`);
  }
  for (const name of numeric) known(name, ' (in numeric)');
  const selected = options.features !== undefined ? [...new Set(options.features)] : undefined;
  if (selected !== undefined) {
    if (selected.length === 0) throw new UsageError('the feature list is empty');
    const chosen = new Set(selected);
    for (const name of [...categorical, ...numeric]) {
      if (!chosen.has(name)) throw new UsageError(`feature "${name}" has a type override but is not in the feature list (${selected.join(', ')})`);
    }
  }
  const planned: PlannedFeature[] = [];
  const skipped: TableColumn[] = [];
  for (const column of selected?.map((name) => known(name, '')) ?? columns) {
    const { name, columnClass } = column;
    if (categorical.has(name)) planned.push({ name, kind: 'categorical' });
    else if (numeric.has(name)) planned.push({ name, kind: 'numeric' });
    else if (columnClass !== ColumnClasses.other) planned.push({ name, kind: columnClass });
    else if (selected !== undefined) {
      throw new InputError(
        `${path}: feature "${name}" has column type ${column.duckdbType}, which is neither numeric nor categorical; mark it categorical or numeric explicitly`,
        { details: { path, feature: name } },
      );
    } else skipped.push(column);
  }
  if (planned.length === 0) throw new InputError(`${path}: no numeric or categorical columns to build a baseline from`, { details: { path } });
  return { planned, skipped };
}

/** Summarises one planned feature; errors name the file and the feature. */
export async function featureBaseline(table: TableReader, feature: PlannedFeature, settings: BaselineSettings): Promise<FeatureBaseline> {
  const where = `${table.path}: feature "${feature.name}"`;
  if (feature.kind === 'categorical') {
    const counts = await table.countValues(feature.name);
    assertRows(where, table.path, feature.name, counts.rowCount, counts.nullCount);
    return categoricalBaselineFromCounts(feature.name, counts);
  }
  const column = await table.readNumeric(feature.name);
  assertRows(where, table.path, feature.name, column.values.length, column.nullCount);
  const baseline = numericBaselineFromColumn(feature.name, column, settings);
  if (baseline.finiteCount === 0) {
    throw new InputError(`${where} has no finite values (${baseline.nanCount} NaN, ${baseline.infCount} ±Inf, ${baseline.nullCount} null)`, {
      details: { path: table.path, feature: feature.name },
    });
  }
  return baseline;
}

function assertRows(where: string, path: string, feature: string, rows: number, nulls: number): void {
  if (rows === 0) throw new InputError(`${where} is empty (0 rows)`, { details: { path, feature } });
  if (nulls === rows) throw new InputError(`${where} has only nulls (${rows} rows)`, { details: { path, feature } });
}

/** Builds a baseline from an open table (the caller closes it). */
export async function baselineFromTable(table: TableReader, options: BaselineFromTableOptions = {}): Promise<Baseline> {
  const settings = resolveSettings(options);
  const { planned, skipped } = planFeatures(table.path, table.columns, options);
  if (skipped.length > 0) {
    options.onWarning?.(`${table.path}: skipped column(s) of other types: ${skipped.map((c) => `${c.name} (${c.duckdbType})`).join(', ')}`);
  }
  const features = new Map<string, FeatureBaseline>();
  for (const [index, feature] of planned.entries()) {
    options.onProgress?.({ feature: feature.name, index, total: planned.length });
    features.set(feature.name, await featureBaseline(table, feature, settings));
  }
  const createdAt = (options.now?.() ?? new Date()).toISOString();
  return { id: baselineId(settings, features.values()), source: table.path, createdAt, features, settings };
}

/** Builds a baseline profile in memory from a Parquet/CSV/JSONL file. */
export async function buildBaseline(options: BuildBaselineOptions): Promise<Baseline> {
  const format = options.format;
  return withTable(options.from, format === undefined ? {} : { format }, (table) => baselineFromTable(table, options));
}
