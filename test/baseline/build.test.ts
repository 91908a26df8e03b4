import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildBaseline, planFeatures } from '../../src/baseline/build.js';
import { loadBaseline, writeBaseline } from '../../src/baseline/store.js';
import type { CategoricalBaseline, NumericBaseline } from '../../src/drift/types.js';
import { DriftwatchError, ErrorCodes, InputError, InputNotFoundError, UnknownFeatureError } from '../../src/errors.js';
import type { TableColumn } from '../../src/store/read-table.js';

const data = join(import.meta.dirname, '..', 'fixtures', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'dw-baseline-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** numpy.quantile(sorted, k/B), method 'linear' (numpy's _lerp: from the nearer neighbour), duplicates removed. */
function numpyEdges(sorted: Float64Array, bins: number): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const pos = (sorted.length - 1) * (k / bins);
    const lo = Math.floor(pos);
    const a = sorted[lo]!;
    const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
    const t = pos - lo;
    const v = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
    if (edges.length === 0 || v !== edges[edges.length - 1]) edges.push(v);
  }
  return edges;
}

function csvColumn(file: string, index: number): string[] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[index] ?? '');
}

async function errorOf(promise: Promise<unknown>): Promise<DriftwatchError> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DriftwatchError);
  return err as DriftwatchError;
}

describe('planFeatures', () => {
  const columns: TableColumn[] = [
    { name: 'amount', duckdbType: 'DOUBLE', columnClass: 'numeric' },
    { name: 'zip', duckdbType: 'BIGINT', columnClass: 'numeric' },
    { name: 'city', duckdbType: 'VARCHAR', columnClass: 'categorical' },
    { name: 'ts', duckdbType: 'TIMESTAMP', columnClass: 'other' },
  ];

  it('infers kinds from column types, skips other types, and applies overrides', () => {
    expect(planFeatures('t.csv', columns, {})).toEqual({
      planned: [
        { name: 'amount', kind: 'numeric' },
        { name: 'zip', kind: 'numeric' },
        { name: 'city', kind: 'categorical' },
      ],
      skipped: [columns[3]],
    });
    expect(planFeatures('t.csv', columns, { features: ['zip', 'ts'], categorical: ['zip', 'ts'] }).planned).toEqual([
      { name: 'zip', kind: 'categorical' },
      { name: 'ts', kind: 'categorical' },
    ]);
    expect(planFeatures('t.csv', columns, { numeric: ['city'] }).planned[2]).toEqual({ name: 'city', kind: 'numeric' });
  });

  it('names the file and the feature in every refusal', () => {
    expect(() => planFeatures('t.csv', columns, { features: ['amount', 'amout'] })).toThrow(UnknownFeatureError);
    expect(() => planFeatures('t.csv', columns, { features: ['amount', 'amout'] })).toThrow('t.csv: unknown feature "amout"; columns are: amount, zip, city, ts');
    expect(() => planFeatures('t.csv', columns, { categorical: ['nope'] })).toThrow(/t\.csv: unknown feature "nope" \(in categorical\)/);
    expect(() => planFeatures('t.csv', columns, { features: ['ts'] })).toThrow(/t\.csv: feature "ts" has column type TIMESTAMP/);
    expect(() => planFeatures('t.csv', columns, { features: ['amount'], categorical: ['city'] })).toThrow(/feature "city" has a type override but is not in the feature list/);
    expect(() => planFeatures('t.csv', [columns[3]!], {})).toThrow(/t\.csv: no numeric or categorical columns/);
  });
});

describe('buildBaseline', () => {
  it('profiles the training CSV: counts, exact sorted values, numpy edges, categories', async () => {
    const file = join(data, 'train.csv');
    const warnings: string[] = [];
    const b = await buildBaseline({ from: file, onWarning: (m) => warnings.push(m), now: () => new Date('2026-02-03T00:00:00Z') });
    expect([...b.features.keys()]).toEqual(['id', 'amount', 'city', 'is_member']);
    expect(warnings).toEqual([`${file}: skipped column(s) of other types: signup_date (DATE)`]);
    expect(b.createdAt).toBe('2026-02-03T00:00:00.000Z');
    expect(b.source).toBe(file);
    expect(b.settings).toEqual({ cap: 1_000_000, seed: 42, psiBins: 10 });

    const cells = csvColumn(file, 1);
    const expected = Float64Array.from(cells.filter((c) => c !== '').map(Number)).sort();
    const amount = b.features.get('amount') as NumericBaseline;
    expect(amount.kind).toBe('numeric');
    expect(amount.rowCount).toBe(500);
    expect(amount.nullCount).toBe(cells.filter((c) => c === '').length);
    expect(amount.nullCount).toBeGreaterThan(0);
    expect(amount.finiteCount).toBe(expected.length);
    expect(amount.sampled).toBe(false);
    expect(Array.from(amount.sorted)).toEqual(Array.from(expected));
    expect(amount.psiBins).toBe(10);
    expect(Array.from(amount.psiEdges)).toEqual(numpyEdges(expected, 10));

    const cities = csvColumn(file, 2);
    const city = b.features.get('city') as CategoricalBaseline;
    expect(city.nullCount).toBe(cities.filter((c) => c === '').length);
    expect(city.categories.get('Paris')).toBe(cities.filter((c) => c === 'Paris').length);
    expect([...city.categories.keys()].sort()).toEqual(['Lille', 'Lyon', 'Nice', 'Paris']);
    const member = b.features.get('is_member') as CategoricalBaseline;
    expect([...member.categories.keys()].sort()).toEqual(['false', 'true']);
  });

  it('gives the same profile (and id) from CSV, Parquet and JSON Lines', async () => {
    const [csv, parquet, jsonl] = await Promise.all(['train.csv', 'train.parquet', 'train.jsonl'].map((f) => buildBaseline({ from: join(data, f) })));
    expect(parquet!.id).toBe(csv!.id);
    expect(jsonl!.id).toBe(csv!.id);
    expect(parquet!.features).toEqual(csv!.features);
  });

  it('round-trips through disk exactly', async () => {
    const built = await buildBaseline({ from: join(data, 'train.parquet'), psiBins: 7, features: ['amount', 'city'], categorical: ['city'] });
    const dir = join(tmp, 'round-trip');
    await writeBaseline(built, dir);
    const loaded = await loadBaseline(dir);
    expect(loaded).toEqual(built);
    expect((loaded.features.get('amount') as NumericBaseline).psiEdges.length).toBeLessThanOrEqual(6);
  });

  it('counts NaN, ±Inf and empty cells apart from the finite values', async () => {
    const b = await buildBaseline({ from: join(data, 'special.csv') });
    const amount = b.features.get('amount') as NumericBaseline;
    expect([amount.rowCount, amount.nullCount, amount.nanCount, amount.infCount, amount.finiteCount]).toEqual([7, 1, 1, 2, 3]);
    expect(Array.from(amount.sorted)).toEqual([-3, 1.5, 2.5]);
    const score = b.features.get('score') as NumericBaseline;
    expect([score.nullCount, score.nanCount, score.infCount]).toEqual([1, 1, 0]);
    expect(Array.from(score.sorted)).toEqual([3, 4, 5, 7, 10]);
    const label = b.features.get('label') as CategoricalBaseline;
    expect([label.rowCount, label.nullCount, label.categories.get('a'), label.categories.get('b')]).toEqual([7, 2, 3, 2]);
  });

  it('reports each bad input naming the file and the feature', async () => {
    const missing = join(tmp, 'missing.parquet');
    let err = await errorOf(buildBaseline({ from: missing }));
    expect(err).toBeInstanceOf(InputNotFoundError);
    expect(err.message).toBe(`${missing}: file not found`);

    const train = join(data, 'train.csv');
    err = await errorOf(buildBaseline({ from: train, features: ['amount', 'amnt'] }));
    expect(err).toBeInstanceOf(UnknownFeatureError);
    expect(err.message).toContain(`${train}: unknown feature "amnt"`);

    const empty = join(data, 'header_only.csv');
    err = await errorOf(buildBaseline({ from: empty, features: ['amount'] }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${empty}: feature "amount" is empty (0 rows)`);

    const allNull = join(data, 'all_null.csv');
    err = await errorOf(buildBaseline({ from: allNull }));
    expect(err.message).toBe(`${allNull}: feature "amount" has only nulls (3 rows)`);
    err = await errorOf(buildBaseline({ from: allNull, features: ['amount'], numeric: ['amount'] }));
    expect(err.message).toBe(`${allNull}: feature "amount" has only nulls (3 rows)`);

    const text = join(data, 'non_numeric.csv');
    err = await errorOf(buildBaseline({ from: text, numeric: ['amount'] }));
    expect(err.code).toBe(ErrorCodes.INPUT_INVALID);
    expect(err.message).toMatch(new RegExp(`^${text}: feature "amount" is read as numeric but has 2 non-numeric value\\(s\\) \\(column type VARCHAR\\), e\\.g\\. "abc", "n/a"`));

    const nans = join(tmp, 'nans.csv');
    writeFileSync(nans, 'x,y\nNaN,1\ninf,2\n,3\n');
    err = await errorOf(buildBaseline({ from: nans, features: ['x'] }));
    expect(err.message).toBe(`${nans}: feature "x" has no finite values (1 NaN, 1 ±Inf, 1 null)`);

    err = await errorOf(buildBaseline({ from: train, psiBins: 1 }));
    expect(err.code).toBe(ErrorCodes.USAGE);
  });

  it('samples above the cap deterministically, and builds 200k rows quickly', async () => {
    const file = join(tmp, 'big.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT CASE WHEN i % 1000 = 0 THEN NULL ELSE sin(i) * 100 + i / 1000.0 END AS x, 'c' || (i % 37)::VARCHAR AS cat FROM range(200000) t(i)) TO '${file}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();

    const t0 = performance.now();
    const full = await buildBaseline({ from: file });
    const elapsed = performance.now() - t0;
    console.log(`buildBaseline 200k rows × 2 features: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(5000);
    const x = full.features.get('x') as NumericBaseline;
    expect([x.rowCount, x.nullCount, x.finiteCount, x.sorted.length, x.sampled]).toEqual([200000, 200, 199800, 199800, false]);
    expect((full.features.get('cat') as CategoricalBaseline).categories.size).toBe(37);

    const a = await buildBaseline({ from: file, features: ['x'], cap: 50000, seed: 3 });
    const b = await buildBaseline({ from: file, features: ['x'], cap: 50000, seed: 3 });
    const c = await buildBaseline({ from: file, features: ['x'], cap: 50000, seed: 4 });
    const xa = a.features.get('x') as NumericBaseline;
    expect([xa.sorted.length, xa.sampled, xa.finiteCount]).toEqual([50000, true, 199800]);
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });
});
