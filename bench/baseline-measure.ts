/**
 * Timing script (not a test): read, build, write and load a 1M-row baseline.
 *   npx tsx test/baseline/measure.ts
 * Prints the median of 3 runs for each step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildBaseline } from '../src/baseline/build.js';
import { loadBaseline, writeBaseline } from '../src/baseline/store.js';
import { withTable } from '../src/store/read-table.js';

const rows = 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'dw-measure-'));
const file = join(dir, 'train.parquet');

async function median(label: string, fn: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(46)} ${times[1]!.toFixed(1).padStart(8)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);
}

try {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT CASE WHEN i % 100 = 0 THEN NULL ELSE random() * 100 END AS x, 'c' || (i % 50)::VARCHAR AS cat FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  connection.closeSync();
  instance.closeSync();

  await median('readNumeric 1M doubles (Parquet, 1% null)', () => withTable(file, {}, (t) => t.readNumeric('x')));
  await median('countValues 1M strings, 50 categories', () => withTable(file, {}, (t) => t.countValues('cat')));
  await median('readStrings 1M strings', () => withTable(file, {}, (t) => t.readStrings('cat')));
  await median('buildBaseline 1M rows, 1 numeric + 1 categorical', () => buildBaseline({ from: file }));
  const built = await buildBaseline({ from: file });
  const out = join(dir, 'profile');
  await median('writeBaseline 990k values', () => writeBaseline(built, out));
  await median('loadBaseline 990k values', () => loadBaseline(out));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
