/**
 * A real crash: a child process writing batches is SIGKILLed mid-run (likely inside a DuckDB
 * transaction). Redelivering every batch from the start (at-least-once at its worst) to the
 * reopened store must give exactly the tables of an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { dumpResults, scenario, tempDir } from './fixtures.js';
import { KILL_SCENARIO, killSpec } from './kill-spec.js';

const sc = scenario(KILL_SCENARIO.seed, KILL_SCENARIO.batches, 'tx', KILL_SCENARIO.maxBatchEvents);

async function writeAll(path: string, from = 0) {
  let now = 0;
  const store = await openStore(path, { streams: [killSpec], clock: () => now });
  for (let i = from; i < sc.batches.length; i++) {
    now = sc.nows[i]!;
    await store.write(sc.batches[i]!);
  }
  const conn = await store.connect();
  const dump = await dumpResults(conn);
  conn.closeSync();
  await store.close();
  return dump;
}

/** Runs the child until it has stored `killAfter` batches, then SIGKILLs it. Returns how many it reported stored. */
function runAndKill(path: string, killAfter: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./kill-child.ts', import.meta.url)), path], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stored = 0;
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const m = /^stored (\d+)$/.exec(line);
        if (m) stored = Number(m[1]) + 1;
        if (stored >= killAfter && child.exitCode === null) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(stored) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('SIGKILL during writes', () => {
  it('after redelivery the tables equal an uninterrupted run', async () => {
    const { dir, cleanup } = await tempDir('kill');
    try {
      const straight = await writeAll(`${dir}/straight.duckdb`);
      expect(straight.windows!.length).toBeGreaterThan(20);
      const reported = await runAndKill(`${dir}/killed.duckdb`, Math.floor(sc.batches.length / 2));
      expect(reported).toBeGreaterThanOrEqual(Math.floor(sc.batches.length / 2));
      expect(reported).toBeLessThan(sc.batches.length);
      const recovered = await writeAll(`${dir}/killed.duckdb`, 0);
      for (const table of Object.keys(straight)) expect({ table, rows: recovered[table] }).toEqual({ table, rows: straight[table] });
    } finally {
      await cleanup();
    }
  });
});
