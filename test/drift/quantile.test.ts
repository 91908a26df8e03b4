import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../src/drift/quantile.js';
import { InputError } from '../../src/errors.js';

describe('quantileSorted equals numpy.quantile (method linear) bit for bit', () => {
  it('on a small sample, both lerp branches (γ < ½ and γ ≥ ½)', () => {
    const a = [0.1, 0.7, 3.3, 3.3, 10.0];
    // Values printed by numpy 2.4 with repr(): the last bits matter for edge ties.
    const expected: Array<[number, number]> = [
      [0.1, 0.33999999999999997],
      [0.2, 0.58],
      [0.3, 1.2199999999999998],
      [0.45, 2.7800000000000002],
      [0.5, 3.3],
      [0.7, 3.3],
      [0.9, 7.32],
      [1.0, 10.0],
      [0.0, 0.1],
    ];
    for (const [q, v] of expected) expect(quantileSorted(a, q), `q=${q}`).toBe(v);
  });

  it('on large magnitudes', () => {
    const b = [1e16, 1e16 + 2, 3.0e16];
    expect([0.1, 0.3, 0.6, 0.9].map((q) => quantileSorted(b, q))).toEqual([1e16, 1.0000000000000002e16, 1.4e16, 2.6e16]);
  });

  it('refuses empty input and q outside [0, 1]', () => {
    expect(() => quantileSorted([], 0.5)).toThrow(InputError);
    expect(() => quantileSorted([1], 1.5)).toThrow(/\[0, 1\]/);
  });
});
