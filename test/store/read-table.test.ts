import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { ErrorCodes, InputError, InputNotFoundError, UnknownFeatureError } from '../../src/errors.js';
import { columnClassOf, formatFromPath, nonNullValues, openTable, withTable } from '../../src/store/read-table.js';

const data = join(import.meta.dirname, '..', 'fixtures', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'dw-read-table-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function sql(statement: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(statement);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('formatFromPath', () => {
  it('maps extensions, looks through compression suffixes, and honours an override', () => {
    expect(formatFromPath('a/b.parquet')).toBe('parquet');
    expect(formatFromPath('b.CSV')).toBe('csv');
    expect(formatFromPath('b.csv.gz')).toBe('csv');
    expect(formatFromPath('b.ndjson')).toBe('jsonl');
    expect(formatFromPath('b.dat', 'csv')).toBe('csv');
    expect(() => formatFromPath('data/b.dat')).toThrow(/data\/b\.dat: cannot tell the file format/);
  });
});

describe('columnClassOf', () => {
  it('classifies DuckDB types', () => {
    for (const t of ['DOUBLE', 'BIGINT', 'DECIMAL(10,2)', 'UTINYINT', 'FLOAT', 'HUGEINT']) expect(columnClassOf(t)).toBe('numeric');
    for (const t of ['VARCHAR', 'BOOLEAN', "ENUM('a', 'b')"]) expect(columnClassOf(t)).toBe('categorical');
    for (const t of ['DATE', 'TIMESTAMP', 'JSON', 'VARCHAR[]', 'STRUCT(a INTEGER)']) expect(columnClassOf(t)).toBe('other');
  });
});

describe('openTable', () => {
  it.each(['train.csv', 'train.parquet', 'train.jsonl'])('lists the columns of %s with their types', async (file) => {
    await withTable(join(data, file), {}, async (table) => {
      expect(table.columns.map((c) => [c.name, c.duckdbType, c.columnClass])).toEqual([
        ['id', 'BIGINT', 'numeric'],
        ['amount', 'DOUBLE', 'numeric'],
        ['city', 'VARCHAR', 'categorical'],
        ['is_member', 'BOOLEAN', 'categorical'],
        ['signup_date', 'DATE', 'other'],
      ]);
      expect(await table.rowCount()).toBe(500);
    });
  });

  it('reads the same values from CSV, Parquet and JSONL', async () => {
    const read = (file: string) => withTable(join(data, file), {}, (t) => t.readNumeric('amount'));
    const [csv, parquet, jsonl] = await Promise.all([read('train.csv'), read('train.parquet'), read('train.jsonl')]);
    expect(csv.nullCount).toBeGreaterThan(0);
    expect(Array.from(parquet.values)).toEqual(Array.from(csv.values));
    expect(Array.from(jsonl.values)).toEqual(Array.from(csv.values));
    expect(Array.from(jsonl.nulls!)).toEqual(Array.from(csv.nulls!));
  });

  it('keeps NaN and ±Inf and tracks empty cells as nulls', async () => {
    await withTable(join(data, 'special.csv'), {}, async (table) => {
      const amount = await table.readNumeric('amount');
      expect(Array.from(amount.values)).toEqual([1.5, NaN, NaN, Infinity, -Infinity, 2.5, -3]);
      expect(Array.from(amount.nulls!)).toEqual([0, 0, 1, 0, 0, 0, 0]);
      expect(amount.nullCount).toBe(1);
      expect(Array.from(nonNullValues(amount))).toEqual([1.5, NaN, Infinity, -Infinity, 2.5, -3]);
      expect(await table.readStrings('label')).toEqual(['a', 'b', null, 'a', 'a', 'b', null]);
      const counts = await table.countValues('label');
      expect([...counts.counts]).toEqual([
        ['a', 3],
        ['b', 2],
      ]);
      expect(counts.nullCount).toBe(2);
      expect(counts.rowCount).toBe(7);
    });
  });

  it('tracks nulls exactly across many chunks', async () => {
    const file = join(tmp, 'nulls.parquet');
    await sql(`COPY (SELECT CASE WHEN i % 7 = 3 OR i BETWEEN 2040 AND 2060 THEN NULL ELSE i * 0.5 END AS x FROM range(10000) t(i)) TO '${file}' (FORMAT parquet)`);
    await withTable(file, {}, async (table) => {
      const x = await table.readNumeric('x');
      const expectedNulls = Array.from({ length: 10000 }, (_, i) => (i % 7 === 3 || (i >= 2040 && i <= 2060) ? 1 : 0));
      const expectedValues = expectedNulls.map((isNull, i) => (isNull ? NaN : i * 0.5));
      expect(Array.from(x.nulls!)).toEqual(expectedNulls);
      expect(Array.from(x.values)).toEqual(expectedValues);
      expect(x.nullCount).toBe(expectedNulls.filter((n) => n === 1).length);
    });
  });

  it('reads numbers stored as text, and refuses text that is not a number', async () => {
    const file = join(tmp, 'text-numbers.jsonl');
    writeFileSync(file, '{"v":"1.5"}\n{"v":"-2e3"}\n{"v":null}\n');
    await withTable(file, {}, async (table) => {
      expect(table.column('v').duckdbType).toBe('VARCHAR');
      const v = await table.readNumeric('v');
      expect(Array.from(v.values.subarray(0, 2))).toEqual([1.5, -2000]);
      expect(v.nullCount).toBe(1);
    });
    const bad = join(data, 'non_numeric.csv');
    await withTable(bad, {}, async (table) => {
      const err = await table.readNumeric('amount').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toContain(bad);
      expect((err as InputError).message).toMatch(/feature "amount" is read as numeric but has 2 non-numeric value\(s\).*"abc", "n\/a"/);
    });
  });

  it('names the file for a missing file, and gives DuckDB\'s reason for an unreadable one', async () => {
    const missing = join(tmp, 'nope.parquet');
    await expect(openTable(missing)).rejects.toThrow(InputNotFoundError);
    await expect(openTable(missing)).rejects.toThrow(`${missing}: file not found`);
    const fake = join(tmp, 'fake.parquet');
    copyFileSync(join(data, 'special.csv'), fake);
    const err = await openTable(fake).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe(ErrorCodes.INPUT_INVALID);
    expect((err as InputError).message).toMatch(new RegExp(`^${fake}: cannot read as parquet: .*magic bytes`));
    expect((err as InputError).message).not.toContain('LINE 1');
  });

  it('reads a file with an unknown extension when the format is given', async () => {
    const file = join(tmp, 'export.dat');
    copyFileSync(join(data, 'special.csv'), file);
    await withTable(file, { format: 'csv' }, async (table) => {
      expect(table.columns.map((c) => c.name)).toEqual(['amount', 'score', 'label']);
    });
  });

  it('names the file and the available columns for an unknown column', async () => {
    await withTable(join(data, 'special.csv'), {}, async (table) => {
      const err = await table.readNumeric('amout').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownFeatureError);
      expect((err as Error).message).toMatch(/special\.csv: no column "amout"; columns are: amount, score, label/);
    });
  });
});
