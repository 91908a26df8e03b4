import { describe, expect, it } from 'vitest';
import { attemptExactTwoSided, gcd, outerProbInside, probOutsideSquare, roundHalfEven } from '../../src/drift/ks-exact.js';

/** Brute force: enumerate all C(m+n, n) interleavings and count those with max |F1 − F2| ≥ d. */
function bruteForce(m: number, n: number, h: number): number {
  const lcm = (m / gcd(m, n)) * n;
  let hits = 0;
  let total = 0;
  const walk = (x: number, y: number, reached: boolean): void => {
    const gap = Math.abs(x * (lcm / m) - y * (lcm / n));
    const r = reached || gap >= h;
    if (x === m && y === n) {
      total++;
      if (r) hits++;
      return;
    }
    if (x < m) walk(x + 1, y, r);
    if (y < n) walk(x, y + 1, r);
  };
  walk(0, 0, false);
  return hits / total;
}

describe('exact two-sample KS null distribution', () => {
  it('matches brute-force path counting for small unequal sizes', () => {
    for (const [m, n] of [
      [3, 5],
      [4, 6],
      [7, 2],
      [6, 9],
    ] as const) {
      const lcm = (m / gcd(m, n)) * n;
      for (let h = 1; h <= lcm; h++) {
        expect(outerProbInside(m, n, gcd(m, n), h)).toBeCloseTo(bruteForce(m, n, h), 12);
      }
    }
  });

  it('matches brute force for equal sizes', () => {
    for (const n of [3, 6, 8]) {
      for (let h = 1; h <= n; h++) expect(probOutsideSquare(n, h)).toBeCloseTo(bruteForce(n, n, h), 12);
    }
  });

  it('reports failure exactly where scipy does (value just above 1)', () => {
    expect(probOutsideSquare(5, 1)).toBe(1.0000000000000002);
    expect(attemptExactTwoSided(5, 5, 0.2).success).toBe(false);
    expect(attemptExactTwoSided(6, 6, 1 / 6).success).toBe(true);
  });

  it('rounds half to even like numpy', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 7].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 7]);
  });
});
