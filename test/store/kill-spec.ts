/** Shared by kill.test.ts and its child process. */
import { txSpec } from './fixtures.js';

// No idle timeout: the parent's wall clock after the kill cannot influence results.
export const killSpec = txSpec({ sizeMs: 30_000, slideMs: 15_000, allowedLatenessMs: 3_000, idleTimeoutMs: Infinity });
export const KILL_SCENARIO = { seed: 77, batches: 60, maxBatchEvents: 60 } as const;
