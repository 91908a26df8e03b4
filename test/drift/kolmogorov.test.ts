import { describe, expect, it } from 'vitest';
import { kolmogn, kolmogorovCdfDurbin, kolmogorovCdfPomeranz, kstwoSf, ldexp } from '../../src/drift/kolmogorov.js';
import { expectClose, specialFixtures } from './helpers/fixtures.js';

const fx = specialFixtures();

describe('kstwo (two-sided Kolmogorov distribution) equals scipy', () => {
  it(`sf and cdf on ${fx.kstwo.length} (n, x) points across every branch`, () => {
    for (const { n, x, sf, cdf } of fx.kstwo) {
      expectClose(kstwoSf(x, n), sf, `kstwo.sf(${x}, ${n})`);
      expectClose(kolmogn(n, x, true), cdf, `kolmogn(${n}, ${x}) cdf`);
    }
  });

  it('Durbin and Pomeranz agree where both are valid', () => {
    for (const [n, x] of [
      [20, 0.15],
      [50, 0.12],
      [100, 0.15],
    ] as const) {
      expect(kolmogorovCdfDurbin(n, x)).toBeCloseTo(kolmogorovCdfPomeranz(n, x), 12);
    }
  });

  it('handles the support ends', () => {
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(0.05, 10)).toBe(1); // below 1/(2n)
    expect(kstwoSf(1, 10)).toBe(0);
    expect(Number.isNaN(kolmogn(2.5, 0.3, false))).toBe(true);
  });

  it('ldexp scales across the exponent range', () => {
    expect(ldexp(2 ** -600, 1500)).toBe(2 ** 900);
    expect(ldexp(2 ** 600, -1500)).toBe(2 ** -900);
  });
});
