/** Shared pieces of the pipeline tests: temp dirs, a demo-domain baseline on disk, event batches. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBaseline } from '../../src/baseline/build.js';
import { writeBaseline } from '../../src/baseline/store.js';
import type { Baseline } from '../../src/baseline/types.js';
import { DEMO_DRIFT, NO_DRIFT, makeTransaction, seededRandom } from '../../src/demo/generate.js';
import type { DriftPlan, Transaction } from '../../src/demo/generate.js';
import { writeTrainingParquet } from '../../src/demo/training.js';
import type { IngestedEvent, PartitionBatch } from '../../src/ingest/types.js';

export const T0 = Date.UTC(2026, 10, 23, 10, 0);
export const FEATURES = ['amount', 'channel', 'country', 'customer_age'] as const;

export function tempDir(prefix = 'dw-pipeline-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** `n` transactions spread evenly over [startMs, startMs + spanMs). Deterministic for a seed. */
export function transactions(n: number, seed: number, startMs: number, spanMs: number, drift: DriftPlan = NO_DRIFT): Transaction[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => makeTransaction(rand, i, startMs + Math.floor((i * spanMs) / n), drift));
}

export { DEMO_DRIFT, NO_DRIFT };

/** A baseline profile of FEATURES from `rows`, written to `<dir>/baseline` through a real Parquet file. */
export async function baselineDir(dir: string, rows: readonly Transaction[], features: readonly string[] = FEATURES): Promise<{ path: string; baseline: Baseline }> {
  const training = join(dir, 'training.parquet');
  await writeTrainingParquet(training, rows);
  const baseline = await buildBaseline({ from: training, features: [...features] });
  const path = join(dir, 'baseline');
  await writeBaseline(baseline, path);
  return { path, baseline };
}

/** One partition batch of transactions as the ingest consumer would hand them to the sink. */
export function batchOf(stream: string, topic: string, partition: number, firstOffset: number, rows: readonly Transaction[]): PartitionBatch {
  const events: IngestedEvent[] = rows.map((tx, i) => ({
    stream,
    topic,
    partition,
    offset: String(firstOffset + i),
    eventTime: tx.event_time,
    kafkaTimestamp: tx.event_time,
    key: tx.customer_id,
    fields: { ...tx },
  }));
  return { topic, partition, events, nextOffset: String(firstOffset + rows.length) };
}
