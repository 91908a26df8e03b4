/**
 * The current side of a drift comparison, read back from the store: a window's raw values of
 * one feature (for KS / Wasserstein, which need more than the aggregates), or the per-key
 * values of a keyed aggregate. Membership matches the aggregates exactly (see window-rows.ts).
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { CategoricalSample, FeatureKind, FeatureSample, NumericSample } from '../drift/types.js';
import { numberOrNull, quoteIdent, quoteString, tsLiteral } from './sql.js';
import { windowMembershipSql } from './window-rows.js';

export async function readWindowSample(
  conn: DuckDBConnection,
  stream: string,
  start: number,
  end: number,
  feature: string,
  kind: FeatureKind,
): Promise<FeatureSample> {
  const col = `e.${quoteIdent(feature)}`;
  const where = `e.stream = ${quoteString(stream)} AND ${windowMembershipSql('e', tsLiteral(start), tsLiteral(end))}`;
  if (kind === 'categorical') {
    const rows = (await conn.runAndReadAll(`SELECT ${col}, count(*) FROM events e WHERE ${where} GROUP BY 1`)).getRows();
    let nullCount = 0;
    const categories = new Map<string, number>();
    for (const [v, n] of rows) {
      if (v === null || v === undefined) nullCount += Number(n);
      else categories.set(String(v), Number(n));
    }
    const sample: CategoricalSample = { kind: 'categorical', categories, nullCount, nanCount: 0, infCount: 0 };
    return sample;
  }
  const counts = (
    await conn.runAndReadAll(
      `SELECT count(*) FILTER (WHERE ${col} IS NULL), count(*) FILTER (WHERE isnan(${col})), count(*) FILTER (WHERE isinf(${col})),
              count(*) FILTER (WHERE isfinite(${col}))
       FROM events e WHERE ${where}`,
    )
  ).getRows()[0] as DuckDBValue[];
  const values = new Float64Array(Number(counts[3]));
  const result = await conn.stream(`SELECT ${col} FROM events e WHERE ${where} AND isfinite(${col})`);
  let i = 0;
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (const v of chunk.getColumnValues(0)) values[i++] = v as number;
  }
  const sample: NumericSample = {
    kind: 'numeric',
    values: i === values.length ? values : values.subarray(0, i),
    nullCount: Number(counts[0]),
    nanCount: Number(counts[1]),
    infCount: Number(counts[2]),
  };
  return sample;
}

/** Per-key values of a keyed aggregate in a window, as a numeric sample (keys without a value count as null). */
export async function readKeyedSample(conn: DuckDBConnection, stream: string, start: number, end: number, aggregate: string): Promise<NumericSample> {
  const rows = (
    await conn.runAndReadAll(
      `SELECT value FROM keyed_windows WHERE stream = ${quoteString(stream)} AND window_start = ${tsLiteral(start)}
         AND window_end = ${tsLiteral(end)} AND aggregate = ${quoteString(aggregate)}`,
    )
  ).getRows();
  const finite: number[] = [];
  let nullCount = 0;
  for (const [v] of rows) {
    const x = numberOrNull(v ?? null);
    if (x === null || !Number.isFinite(x)) nullCount++;
    else finite.push(x);
  }
  return { kind: 'numeric', values: Float64Array.from(finite), nullCount, nanCount: 0, infCount: 0 };
}
