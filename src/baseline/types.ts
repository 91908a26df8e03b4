/**
 * A baseline as driftwatch builds, stores and loads it: the shared BaselineProfile plus
 * the settings it was built with (they decide the sample and the PSI edges).
 */
import type { BaselineProfile } from '../drift/types.js';

export interface BaselineSettings {
  /** Most finite values kept per numeric feature; above it a seeded uniform sample is kept. */
  readonly cap: number;
  /** Seed of the sampling PRNG (same data + cap + seed → same sample → same id). */
  readonly seed: number;
  /** PSI bin count the stored edges were computed for. */
  readonly psiBins: number;
}

export const defaultBaselineSettings: BaselineSettings = Object.freeze({ cap: 1_000_000, seed: 42, psiBins: 10 });

export interface Baseline extends BaselineProfile {
  readonly settings: BaselineSettings;
}

/** On-disk format identity; bump the version on any incompatible change. */
export const BaselineFormat = { name: 'driftwatch-baseline', version: 1 } as const;
