import { describe, expect, it } from 'vitest';
import { smirnovSf, splitNx } from '../../src/drift/smirnov.js';
import { expectClose, specialFixtures } from './helpers/fixtures.js';

const fx = specialFixtures();

describe('smirnov (one-sided) equals scipy.special.smirnov', () => {
  it(`on ${fx.smirnov.length} points`, () => {
    for (const { n, x, sf } of fx.smirnov) expectClose(smirnovSf(n, x), sf, `smirnov(${n}, ${x})`);
  });

  it('closed forms at the edges', () => {
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 15);
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
    expect(smirnovSf(10, 0.95)).toBeCloseTo(0.05 ** 10, 25);
  });

  it('splits n·x exactly, like the double-double modNX of Cephes', () => {
    expect(splitNx(8, 0.375)).toEqual({ floor: 3, frac: 0 });
    // 0.3 is 0.29999999999999998889…: 10 × 0.3 is just below 3 although the double product rounds to 3.
    const s = splitNx(10, 0.3);
    expect(s.floor).toBe(2);
    expect(s.frac).toBe(0.9999999999999999);
  });
});
