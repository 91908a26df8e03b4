/**
 * The demo's training set as a typed Parquet file (written by DuckDB through an appender),
 * and the baseline profile built from it with the same code `driftwatch baseline build` uses.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildBaseline } from '../baseline/build.js';
import { writeBaseline } from '../baseline/store.js';
import type { Baseline } from '../baseline/types.js';
import type { Transaction } from './generate.js';

/** Features of the demo baseline (ids and the event time are not features). */
export const DEMO_FEATURES = [
  'amount',
  'merchant_category',
  'country',
  'channel',
  'card_present',
  'customer_age',
  'account_age_days',
  'device_score',
  'hour_of_day',
] as const;

const COLUMNS = `transaction_id VARCHAR, customer_id VARCHAR, amount DOUBLE, merchant_category VARCHAR, country VARCHAR,
  channel VARCHAR, card_present BOOLEAN, customer_age INTEGER, account_age_days INTEGER, device_score DOUBLE,
  hour_of_day INTEGER, event_time BIGINT`;

export async function writeTrainingParquet(path: string, rows: readonly Transaction[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE training (${COLUMNS})`);
    const app = await conn.createAppender('training');
    for (const r of rows) {
      app.appendVarchar(r.transaction_id);
      app.appendVarchar(r.customer_id);
      app.appendDouble(r.amount);
      app.appendVarchar(r.merchant_category);
      app.appendVarchar(r.country);
      app.appendVarchar(r.channel);
      app.appendBoolean(r.card_present);
      app.appendInteger(r.customer_age);
      app.appendInteger(r.account_age_days);
      if (r.device_score === null) app.appendNull();
      else app.appendDouble(r.device_score);
      app.appendInteger(r.hour_of_day);
      app.appendBigInt(BigInt(r.event_time));
      app.endRow();
    }
    app.closeSync();
    await conn.run(`COPY training TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Profiles the training file and writes the baseline directory; returns the profile. */
export async function buildDemoBaseline(trainingPath: string, outDir: string): Promise<Baseline> {
  const baseline = await buildBaseline({ from: trainingPath, features: [...DEMO_FEATURES], categorical: ['card_present'] });
  await writeBaseline(baseline, outDir);
  return baseline;
}
