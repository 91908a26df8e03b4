/**
 * Closed windows ↔ rows of `windows`, `feature_windows` and `keyed_windows`. Quantiles are
 * computed here, at close, exactly, by DuckDB over the window's stored events (inside the
 * transaction that appended the batch, so the batch's own events are included).
 */
import { DuckDBListValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { finalizeStats } from '../features/aggregate.js';
import type { WindowAggregates } from '../features/engine.js';
import { finalizeKeyed } from '../features/keyed.js';
import {
  QuantileLevels,
  type ClosedWindow,
  type FeatureWindowStats,
  type KeyedAgg,
  type KeyedValue,
  type KeyedWindowStats,
  type QuantileName,
  type Quantiles,
  type StreamSpec,
} from '../features/types.js';
import { appendTable, msFrom, numberOrNull, quoteIdent, quoteString, tsLiteral, tsValue } from './sql.js';

const QUANTILE_NAMES = Object.keys(QuantileLevels) as QuantileName[];
const QUANTILE_LIST = `[${Object.values(QuantileLevels).join(', ')}]`;

/**
 * Membership of a stored event in window [s, e): event time in range and the window still open
 * when the event arrived. Shared by quantiles, windowSample and the tests' SQL oracle.
 */
export function windowMembershipSql(alias: string, startSql: string, endSql: string): string {
  return `${alias}.event_time >= ${startSql} AND ${alias}.event_time < ${endSql} AND (${alias}.arrival_watermark IS NULL OR ${alias}.arrival_watermark < ${endSql})`;
}

/** Exact quantiles (quantile_cont over finite values) of every numeric feature, per window start. */
async function windowQuantiles(conn: DuckDBConnection, spec: StreamSpec, windows: readonly WindowAggregates[]): Promise<Map<number, (Quantiles | null)[]>> {
  const numeric = spec.features.map((f, i) => ({ f, i })).filter(({ f }) => f.kind === 'numeric');
  const out = new Map<number, (Quantiles | null)[]>();
  if (numeric.length === 0 || windows.length === 0) return out;
  const values = windows.map((w) => `(${tsLiteral(w.start)}, ${tsLiteral(w.end)}, ${w.start}::DOUBLE)`).join(', ');
  const selects = numeric.map(({ f }) => `quantile_cont(ev.${quoteIdent(f.name)}, ${QUANTILE_LIST}) FILTER (WHERE isfinite(ev.${quoteIdent(f.name)}))`);
  // Constant bounds besides the join condition let DuckDB skip row groups by zone map, so a
  // close costs O(window) and not O(table).
  const lo = Math.min(...windows.map((w) => w.start));
  const hi = Math.max(...windows.map((w) => w.end));
  const sql = `WITH w(s, e, ms) AS (VALUES ${values})
    SELECT w.ms, ${selects.join(', ')}
    FROM w JOIN events ev ON ev.stream = ${quoteString(spec.name)} AND ${windowMembershipSql('ev', 'w.s', 'w.e')}
    WHERE ev.event_time >= ${tsLiteral(lo)} AND ev.event_time < ${tsLiteral(hi)}
    GROUP BY w.ms`;
  const reader = await conn.runAndReadAll(sql);
  for (const row of reader.getRows()) {
    const qs: (Quantiles | null)[] = new Array(spec.features.length).fill(null);
    numeric.forEach(({ i }, j) => {
      const v = row[j + 1] as DuckDBValue;
      if (v instanceof DuckDBListValue) {
        qs[i] = Object.fromEntries(QUANTILE_NAMES.map((name, k) => [name, numberOrNull(v.items[k] ?? null) as number])) as Quantiles;
      }
    });
    out.set(row[0] as number, qs);
  }
  return out;
}

export function toClosedWindow(spec: StreamSpec, w: WindowAggregates, quantiles: readonly (Quantiles | null)[] | undefined): ClosedWindow {
  return {
    stream: spec.name,
    start: w.start,
    end: w.end,
    eventCount: w.eventCount,
    features: spec.features.map((f, i) => finalizeStats(f.name, w.accumulators[i]!, quantiles?.[i] ?? null)),
    keyed: (spec.keyedAggregates ?? []).map((k, i) => finalizeKeyed(k, w.keyed[i]!)),
  };
}

/** Finalizes closed windows (quantiles from the stored events) and appends their rows. */
export async function writeClosedWindows(
  conn: DuckDBConnection,
  spec: StreamSpec,
  aggregates: readonly WindowAggregates[],
  closedAtMs: number,
): Promise<ClosedWindow[]> {
  if (aggregates.length === 0) return [];
  const quantiles = await windowQuantiles(conn, spec, aggregates);
  const closed = aggregates.map((w) => toClosedWindow(spec, w, quantiles.get(w.start)));
  const closedAt = tsValue(closedAtMs);
  await appendTable(conn, 'windows', transpose(closed.map((w) => [w.stream, tsValue(w.start), tsValue(w.end), BigInt(w.eventCount), closedAt, null])));
  const featureRows: DuckDBValue[][] = [];
  // Keyed rows can number windows × keys: built column-wise, without a row array per key.
  const keyed: DuckDBValue[][] = Array.from({ length: 11 }, () => []);
  for (const w of closed) {
    const head = [w.stream, tsValue(w.start), tsValue(w.end)];
    for (const s of w.features) featureRows.push([...head, ...featureColumns(s), closedAt]);
    for (const k of w.keyed) {
      const fixed: DuckDBValue[] = [...head, k.name, k.key, k.feature, k.agg];
      for (const [key, v] of k.values) {
        for (let c = 0; c < fixed.length; c++) (keyed[c] as DuckDBValue[]).push(fixed[c] as DuckDBValue);
        (keyed[7] as DuckDBValue[]).push(key);
        (keyed[8] as DuckDBValue[]).push(BigInt(v.events));
        (keyed[9] as DuckDBValue[]).push(BigInt(v.n));
        (keyed[10] as DuckDBValue[]).push(v.value);
      }
    }
  }
  await appendTable(conn, 'feature_windows', transpose(featureRows));
  await appendTable(conn, 'keyed_windows', keyed);
  return closed;
}

function featureColumns(s: FeatureWindowStats): DuckDBValue[] {
  const counts = [s.feature, s.kind, BigInt(s.count), BigInt(s.nullCount), BigInt(s.nanCount), BigInt(s.infCount)];
  if (s.kind === 'categorical') {
    return [...counts, null, null, null, null, null, ...QUANTILE_NAMES.map(() => null), JSON.stringify(Object.fromEntries(s.categories)), null];
  }
  return [
    ...counts,
    s.sum,
    s.mean,
    s.variance,
    s.min,
    s.max,
    ...QUANTILE_NAMES.map((q) => s.quantiles?.[q] ?? null),
    null,
    s.psiBinCounts === null ? null : JSON.stringify(s.psiBinCounts),
  ];
}

function transpose(rows: readonly DuckDBValue[][]): DuckDBValue[][] {
  const width = rows[0]?.length ?? 0;
  const cols: DuckDBValue[][] = Array.from({ length: width }, () => new Array<DuckDBValue>(rows.length));
  rows.forEach((r, i) => r.forEach((v, c) => ((cols[c] as DuckDBValue[])[i] = v)));
  return cols;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface WindowFilter {
  readonly stream?: string;
  /** Only windows not yet evaluated. */
  readonly unevaluated?: boolean;
  readonly start?: number;
  readonly end?: number;
}

/** Reads closed windows back into the same shape listeners receive (ordered by stream, end, start). */
export async function readClosedWindows(conn: DuckDBConnection, specs: ReadonlyMap<string, StreamSpec>, filter: WindowFilter = {}): Promise<ClosedWindow[]> {
  const where: string[] = [];
  if (filter.stream !== undefined) where.push(`w.stream = ${quoteString(filter.stream)}`);
  if (filter.unevaluated) where.push('w.evaluated_at IS NULL');
  if (filter.start !== undefined) where.push(`w.window_start = ${tsLiteral(filter.start)}`);
  if (filter.end !== undefined) where.push(`w.window_end = ${tsLiteral(filter.end)}`);
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const wins = (await conn.runAndReadAll(`SELECT stream, window_start, window_end, event_count FROM windows w ${cond} ORDER BY window_end, stream, window_start`)).getRows();
  if (wins.length === 0) return [];
  const key = (stream: DuckDBValue, s: DuckDBValue, e: DuckDBValue): string => `${String(stream)}\u0000${msFrom(s)}\u0000${msFrom(e)}`;
  const features = new Map<string, FeatureWindowStats[]>();
  const fw = await conn.runAndReadAll(
    `SELECT f.* EXCLUDE (closed_at) FROM feature_windows f JOIN windows w USING (stream, window_start, window_end) ${cond}`,
  );
  for (const r of fw.getRowObjects()) {
    const k = key(r.stream ?? null, r.window_start ?? null, r.window_end ?? null);
    features.set(k, [...(features.get(k) ?? []), featureStatsFromRow(r)]);
  }
  type KeyedRows = Map<string, { key: string; feature: string; agg: KeyedAgg; values: [string, KeyedValue][] }>;
  const keyed = new Map<string, KeyedRows>();
  const kw = await conn.runAndReadAll(
    `SELECT k.* FROM keyed_windows k JOIN windows w USING (stream, window_start, window_end) ${cond}`,
  );
  for (const r of kw.getRowObjects()) {
    const k = key(r.stream ?? null, r.window_start ?? null, r.window_end ?? null);
    const perWindow: KeyedRows = keyed.get(k) ?? new Map();
    keyed.set(k, perWindow);
    const name = String(r.aggregate);
    const entry = perWindow.get(name) ?? { key: String(r.key_field), feature: String(r.feature), agg: String(r.agg) as KeyedAgg, values: [] };
    perWindow.set(name, entry);
    entry.values.push([String(r.key), { events: numberOrNull(r.events ?? null) ?? 0, n: numberOrNull(r.n ?? null) ?? 0, value: numberOrNull(r.value ?? null) }]);
  }
  return wins.map(([stream, s, e, count]) => {
    const k = key(stream ?? null, s ?? null, e ?? null);
    const spec = specs.get(String(stream));
    const order = new Map(spec?.features.map((f, i) => [f.name, i]) ?? []);
    const feats = (features.get(k) ?? []).sort(
      (a, b) => (order.get(a.feature) ?? Infinity) - (order.get(b.feature) ?? Infinity) || byCodeUnit(a.feature, b.feature),
    );
    const rows: KeyedRows = keyed.get(k) ?? new Map();
    const keyedStats: KeyedWindowStats[] = (spec?.keyedAggregates ?? []).map((ka) => ({ name: ka.name, key: ka.key, feature: ka.feature, agg: ka.agg, values: new Map() }));
    for (const [name, entry] of rows) {
      const values = new Map(entry.values.sort(([a], [b]) => byCodeUnit(a, b)));
      const i = keyedStats.findIndex((x) => x.name === name);
      const stats: KeyedWindowStats = { name, key: entry.key, feature: entry.feature, agg: entry.agg, values };
      if (i >= 0) keyedStats[i] = stats;
      else keyedStats.push(stats);
    }
    return {
      stream: String(stream),
      start: msFrom(s ?? null) as number,
      end: msFrom(e ?? null) as number,
      eventCount: numberOrNull(count ?? null) ?? 0,
      features: feats,
      keyed: keyedStats,
    };
  });
}

function featureStatsFromRow(r: Record<string, DuckDBValue>): FeatureWindowStats {
  const num = (name: string): number | null => numberOrNull(r[name] ?? null);
  const base = {
    feature: String(r.feature),
    count: num('count') ?? 0,
    nullCount: num('null_count') ?? 0,
    nanCount: num('nan_count') ?? 0,
    infCount: num('inf_count') ?? 0,
  };
  if (r.kind === 'categorical') {
    const parsed = JSON.parse(String(r.category_counts ?? '{}')) as Record<string, number>;
    return { kind: 'categorical', ...base, categories: new Map(Object.entries(parsed).sort(([a], [b]) => byCodeUnit(a, b))) };
  }
  const p50 = num('p50');
  return {
    kind: 'numeric',
    ...base,
    sum: num('sum') ?? 0,
    mean: num('mean'),
    variance: num('variance'),
    min: num('min'),
    max: num('max'),
    quantiles: p50 === null ? null : (Object.fromEntries(QUANTILE_NAMES.map((q) => [q, num(q)])) as Quantiles),
    psiBinCounts: r.psi_bin_counts === null || r.psi_bin_counts === undefined ? null : (JSON.parse(String(r.psi_bin_counts)) as number[]),
  };
}
