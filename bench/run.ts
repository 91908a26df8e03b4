/**
 * `npm run bench [-- drift|ingest|windows ...]`: prints throughput figures; never fails on time.
 * The end-to-end consume benchmark uses DW_BENCH_BROKERS, else a local broker that it starts
 * (and stops) through scripts/kafka.sh on port 19192.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runDriftBench } from './drift.js';
import { runIngestBench } from './ingest.js';
import { runWindowsBench } from './windows.js';

const root = join(import.meta.dirname, '..');
const wanted = new Set(process.argv.slice(2).filter((a) => !a.startsWith('-')));
const want = (name: string): boolean => wanted.size === 0 || wanted.has(name);

function kafka(action: 'start' | 'stop', port: number): boolean {
  const res = spawnSync('bash', [join(root, 'scripts', 'kafka.sh'), action], {
    env: { ...process.env, KAFKA_PORT: String(port), KAFKA_DIR: join(root, '.kafka', `bench-${port}`) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return res.status === 0;
}

async function main(): Promise<void> {
  console.log(`driftwatch benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
  if (want('drift')) await runDriftBench();
  if (want('windows')) await runWindowsBench();
  if (want('ingest')) {
    let brokers = process.env.DW_BENCH_BROKERS?.split(',');
    let started = false;
    const port = 19192;
    if (!brokers && process.env.DW_BENCH_NO_KAFKA !== '1') {
      started = kafka('start', port);
      if (started) brokers = [`127.0.0.1:${port}`];
      else console.log('(no broker could be started: end-to-end consume figures skipped)');
    }
    try {
      await runIngestBench(brokers ? { brokers } : {});
    } finally {
      if (started) kafka('stop', port);
    }
  }
}

await main();
