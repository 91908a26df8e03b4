/**
 * Reads a report's data from the driftwatch DuckDB file (read-only):
 *   drift_results   (stream, window_start, window_end, feature, metric, value, threshold, status)
 *   feature_windows (stream, window_start, window_end, feature, kind, count, null/nan/inf_count,
 *                    category_counts JSON, psi_bin_counts JSON)          — see src/store/TABLES.md
 *   alert_history   (stream, feature, window_end, from_state, to_state, severity, notification)
 *                    or, without it, alerts (stream, feature, state, severity, fired_at, updated_at)
 * Times may be TIMESTAMP or BIGINT epoch ms; both are read as ms. Missing tables are skipped.
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { BaselineProfile, DriftStatus, FeatureBaseline, FeatureKind } from '../drift/types.js';
import { InputError, InputNotFoundError, StoreError, errorMessage } from '../errors.js';
import { baselineHistogram, binCountsHistogram, categoricalHistogram } from './histograms.js';
import { fmtRange } from './format.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import type { MetricThresholds, NullRatePoint, ReportAlert, ReportData, ReportFeature, ReportHistogram, SeriesPoint } from './types.js';

export interface LoadReportOptions {
  /** Required when the file holds several streams. */
  readonly stream?: string;
  /** Window starts in [from, to), epoch ms. */
  readonly from?: number;
  readonly to?: number;
  /** The stream's baseline profile: baseline histograms, edges for the window bins, null rate. */
  readonly baseline?: BaselineProfile;
  /** Threshold lines per feature (e.g. from the rule files); default: built-in rule defaults. */
  readonly thresholds?: (feature: string, stream: string) => Readonly<Record<string, MetricThresholds>>;
  readonly title?: string;
  /** Clock for generatedAt (tests). */
  readonly now?: () => number;
}

const STATUSES = new Set<string>(['ok', 'warn', 'critical', 'insufficient_data']);

export async function loadReportData(dbPath: string, options: LoadReportOptions = {}): Promise<ReportData> {
  try {
    await stat(dbPath);
  } catch {
    throw new InputNotFoundError(`DuckDB file ${dbPath} does not exist`, { details: { path: dbPath } });
  }
  return withReadOnly(dbPath, (conn) => readReport(conn, dbPath, options));
}

/**
 * Opens the file read-only. A running driftwatch holds the file's write lock, which DuckDB
 * lets no other process share, not even for reading: then report from a snapshot copy.
 */
async function withReadOnly<T>(dbPath: string, use: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  let instance: DuckDBInstance;
  let snapshotDir: string | undefined;
  try {
    instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  } catch (err) {
    if (!/lock/i.test(errorMessage(err))) {
      throw new StoreError(`cannot open ${dbPath} as a DuckDB database: ${errorMessage(err)}`, { cause: err, details: { path: dbPath } });
    }
    snapshotDir = await mkdtemp(join(tmpdir(), 'driftwatch-report-'));
    const copy = join(snapshotDir, basename(dbPath));
    await copyFile(dbPath, copy);
    await copyFile(`${dbPath}.wal`, `${copy}.wal`).catch(() => undefined);
    try {
      instance = await DuckDBInstance.create(copy, { access_mode: 'READ_ONLY' });
    } catch (err2) {
      await rm(snapshotDir, { recursive: true, force: true });
      throw new StoreError(`${dbPath} is locked by a running driftwatch and a snapshot copy could not be opened: ${errorMessage(err2)}`, {
        cause: err2,
        details: { path: dbPath },
      });
    }
  }
  const conn = await instance.connect();
  try {
    return await use(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
    if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
  }
}

async function readReport(conn: DuckDBConnection, dbPath: string, options: LoadReportOptions): Promise<ReportData> {
  const tables = await columnTypes(conn);
  if (!tables.has('drift_results') && !tables.has('feature_windows')) {
    throw new InputError(`${dbPath} has neither a drift_results nor a feature_windows table: is it a driftwatch database?`, { details: { path: dbPath } });
  }
  const stream = await pickStream(conn, tables, dbPath, options.stream);
  const series = tables.has('drift_results') ? await readSeries(conn, tables, stream, options) : [];
  const windows = tables.has('feature_windows') ? await readFeatureWindows(conn, tables, stream, options) : [];
  const alerts = await readAlerts(conn, tables, stream, options);

  const baseline = options.baseline;
  const names = new Set<string>([...series.map((s) => s.feature), ...windows.map((w) => w.feature)]);
  const features: ReportFeature[] = [...names].sort().map((name) => {
    const own = windows.filter((w) => w.feature === name);
    const fseries: SeriesPoint[] = series
      .filter((s) => s.feature === name)
      .map((s) => ({ windowStart: s.windowStart, metric: s.metric, value: s.value, status: s.status }));
    const fb = baseline?.features.get(name);
    const kind: FeatureKind = fb?.kind ?? own[0]?.kind ?? (fseries.some((p) => p.metric.startsWith('chi2')) ? 'categorical' : 'numeric');
    const latest = own[own.length - 1];
    const current = latest ? currentHistogram(latest, fb) : undefined;
    const nullRate: NullRatePoint[] = own.filter((w) => w.count > 0).map((w) => ({ windowStart: w.start, value: w.missing / w.count }));
    const metrics = new Set(fseries.map((p) => p.metric));
    const source = options.thresholds?.(name, stream) ?? DEFAULT_THRESHOLDS;
    const thresholds = Object.fromEntries(Object.entries(source).filter(([m]) => metrics.has(m)));
    return {
      name,
      kind,
      ...(fb && { baseline: baselineHistogram(fb) }),
      ...(current && { current, currentLabel: `window ${fmtRange(latest!.start, latest!.end)}` }),
      series: fseries,
      thresholds,
      nullRate,
      ...(fb && fb.rowCount > 0 && { baselineNullRate: (fb.nullCount + fb.nanCount + fb.infCount) / fb.rowCount }),
    };
  });

  const windowMs = windows[0] ? windows[0].end - windows[0].start : series[0]?.windowMs;
  return {
    ...(options.title !== undefined && { title: options.title }),
    stream,
    generatedAt: (options.now ?? Date.now)(),
    ...(options.from !== undefined && { from: options.from }),
    ...(options.to !== undefined && { to: options.to }),
    ...(windowMs !== undefined && windowMs > 0 && { windowMs }),
    ...(baseline && { baselineId: baseline.id }),
    source: dbPath,
    features,
    alerts,
  };
}

type Tables = Map<string, Map<string, string>>;

async function columnTypes(conn: DuckDBConnection): Promise<Tables> {
  const rows = (
    await conn.runAndReadAll(`SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal`)
  ).getRows();
  const out: Tables = new Map();
  for (const [t, c, ty] of rows) {
    const cols = out.get(String(t)) ?? new Map<string, string>();
    cols.set(String(c), String(ty));
    out.set(String(t), cols);
  }
  return out;
}

/** SQL giving epoch ms as DOUBLE for a TIMESTAMP or integer-ms column. */
function ms(tables: Tables, table: string, column: string, alias = ''): string {
  const type = tables.get(table)?.get(column) ?? '';
  const ref = `${alias}${column}`;
  return type.startsWith('TIMESTAMP') || type === 'DATE' ? `epoch_ms(${ref})::DOUBLE` : `${ref}::DOUBLE`;
}

/** Range predicate on a time column, bound as epoch ms. */
function range(tables: Tables, table: string, column: string, options: LoadReportOptions, params: DuckDBValue[]): string {
  const parts: string[] = [];
  if (options.from !== undefined) {
    params.push(options.from);
    parts.push(`${ms(tables, table, column)} >= $${params.length}`);
  }
  if (options.to !== undefined) {
    params.push(options.to);
    parts.push(`${ms(tables, table, column)} < $${params.length}`);
  }
  return parts.map((p) => ` AND ${p}`).join('');
}

async function pickStream(conn: DuckDBConnection, tables: Tables, dbPath: string, wanted: string | undefined): Promise<string> {
  const sources = ['drift_results', 'feature_windows'].filter((t) => tables.has(t)).map((t) => `SELECT DISTINCT stream FROM ${t}`);
  const streams = (await conn.runAndReadAll(`${sources.join(' UNION ')} ORDER BY 1`)).getRows().map((r) => String(r[0]));
  if (wanted !== undefined) {
    if (!streams.includes(wanted)) {
      throw new InputError(`${dbPath} has no results for stream '${wanted}' (streams: ${streams.join(', ') || 'none'})`, { details: { path: dbPath, stream: wanted } });
    }
    return wanted;
  }
  if (streams.length === 1) return streams[0]!;
  if (streams.length === 0) throw new InputError(`${dbPath} has no drift results yet: no window has closed`, { details: { path: dbPath } });
  throw new InputError(`${dbPath} holds several streams (${streams.join(', ')}): choose one with --stream`, { details: { path: dbPath, streams } });
}

async function readSeries(
  conn: DuckDBConnection,
  tables: Tables,
  stream: string,
  options: LoadReportOptions,
): Promise<Array<SeriesPoint & { feature: string; windowMs: number }>> {
  const params: DuckDBValue[] = [stream];
  const sql = `SELECT ${ms(tables, 'drift_results', 'window_start')} AS s, ${ms(tables, 'drift_results', 'window_end')} AS e, feature, metric, value::DOUBLE AS v, status
    FROM drift_results WHERE stream = $1 AND value IS NOT NULL AND isfinite(value::DOUBLE)${range(tables, 'drift_results', 'window_start', options, params)}
    ORDER BY s, feature, metric`;
  const rows = (await conn.runAndReadAll(sql, params)).getRows();
  return rows.map(([s, e, feature, metric, v, status]) => ({
    windowStart: s as number,
    windowMs: (e as number) - (s as number),
    feature: String(feature),
    metric: String(metric),
    value: v as number,
    status: (STATUSES.has(String(status)) ? String(status) : 'ok') as DriftStatus,
  }));
}

interface WindowRow {
  readonly feature: string;
  readonly kind: FeatureKind;
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly missing: number;
  readonly categoryCounts: string | null;
  readonly psiBinCounts: string | null;
}

async function readFeatureWindows(conn: DuckDBConnection, tables: Tables, stream: string, options: LoadReportOptions): Promise<WindowRow[]> {
  const params: DuckDBValue[] = [stream];
  const t = 'feature_windows';
  const sql = `SELECT feature, kind, ${ms(tables, t, 'window_start')} AS s, ${ms(tables, t, 'window_end')} AS e, "count"::DOUBLE,
      (null_count + nan_count + inf_count)::DOUBLE, category_counts::VARCHAR, psi_bin_counts::VARCHAR
    FROM ${t} WHERE stream = $1${range(tables, t, 'window_start', options, params)} ORDER BY s, feature`;
  return (await conn.runAndReadAll(sql, params)).getRows().map(([feature, kind, s, e, count, missing, cats, bins]) => ({
    feature: String(feature),
    kind: kind === 'categorical' ? 'categorical' : 'numeric',
    start: s as number,
    end: e as number,
    count: count as number,
    missing: missing as number,
    categoryCounts: cats === null ? null : String(cats),
    psiBinCounts: bins === null ? null : String(bins),
  }));
}

function currentHistogram(w: WindowRow, fb: FeatureBaseline | undefined): ReportHistogram | undefined {
  if (w.kind === 'categorical' && w.categoryCounts) {
    return categoricalHistogram(JSON.parse(w.categoryCounts) as Record<string, number>);
  }
  // Bin counts are only meaningful over the edges they were counted with: the baseline's.
  if (w.kind === 'numeric' && w.psiBinCounts && fb?.kind === 'numeric') {
    return binCountsHistogram(JSON.parse(w.psiBinCounts) as number[], [...fb.psiEdges]);
  }
  return undefined;
}

async function readAlerts(conn: DuckDBConnection, tables: Tables, stream: string, options: LoadReportOptions): Promise<ReportAlert[]> {
  const params: DuckDBValue[] = [stream];
  let sql: string;
  if (tables.has('alert_history')) {
    const t = 'alert_history';
    // State changes, plus escalations (firing → firing at a higher severity).
    sql = `SELECT ${ms(tables, t, 'window_end')} AS time, feature, to_state, severity FROM ${t}
      WHERE stream = $1 AND (from_state <> to_state OR notification = 'escalated')${range(tables, t, 'window_end', options, params)}
      ORDER BY time, feature`;
  } else if (tables.has('alerts') && tables.get('alerts')?.has('fired_at')) {
    const t = 'alerts';
    sql = `SELECT * FROM (
        SELECT ${ms(tables, t, 'fired_at')} AS time, feature, 'firing' AS to_state, severity FROM ${t} WHERE stream = $1 AND fired_at IS NOT NULL
        UNION ALL
        SELECT ${ms(tables, t, 'updated_at')} AS time, feature, state, severity FROM ${t} WHERE stream = $1 AND state = 'resolved'
      ) WHERE true${range(tables, '', 'time', options, params)} ORDER BY time, feature`;
  } else {
    return [];
  }
  return (await conn.runAndReadAll(sql, params)).getRows().map(([time, feature, state, severity]) => ({
    time: time as number,
    feature: String(feature),
    state: (['pending', 'firing', 'resolved', 'ok'].includes(String(state)) ? String(state) : 'ok') as ReportAlert['state'],
    ...((severity === 'warn' || severity === 'critical') && { severity }),
  }));
}
