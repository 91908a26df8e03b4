/**
 * Child process of kill.test.ts: writes a scenario's batches to the store at argv[2] and prints
 * "stored <i>" after each; the parent SIGKILLs it mid-run. Not a test file itself.
 */
import { openStore } from '../../src/store/index.js';
import { scenario } from './fixtures.js';
import { killSpec, KILL_SCENARIO } from './kill-spec.js';

const path = process.argv[2] as string;
const sc = scenario(KILL_SCENARIO.seed, KILL_SCENARIO.batches, 'tx', KILL_SCENARIO.maxBatchEvents);
let now = 0;
const store = await openStore(path, { streams: [killSpec], clock: () => now });
for (let i = 0; i < sc.batches.length; i++) {
  now = sc.nows[i]!;
  await store.write(sc.batches[i]!);
  process.stdout.write(`stored ${i}\n`);
}
process.stdout.write('done\n');
await store.close();
