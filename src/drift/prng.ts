/**
 * Deterministic sampling for baselines above the cap: a small seeded PRNG and Knuth's
 * selection sampling (Algorithm S), which keeps exactly k of n items, each subset equally likely,
 * in one pass and without extra memory.
 */

/** SplitMix32-style generator: uniform doubles in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    // 53-bit double from two draws would be overkill here: 32 bits decide k-of-n selections fine.
    return z / 4294967296;
  };
}

/** Indices (ascending) of a uniform random k-subset of 0 … n−1, reproducible for a seed. */
export function sampleIndices(n: number, k: number, seed: number): Uint32Array {
  const out = new Uint32Array(Math.min(k, n));
  if (k >= n) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  const rand = seededRandom(seed);
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) {
    // Keep item i with probability (still needed) / (still available).
    if ((n - i) * rand() < k - chosen) out[chosen++] = i;
  }
  return out;
}
