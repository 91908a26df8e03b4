import { describe, expect, it } from 'vitest';
import { chi2Sf, gammainc, gammaincc, lgamma } from '../../src/drift/special.js';
import { specialFixtures } from './helpers/fixtures.js';

describe('chi-square survival function equals scipy.special.chdtrc', () => {
  const { chi2_sf: cases } = specialFixtures();

  it(`agrees to 1e-6 relative on ${cases.length} points, p down to 1e-300`, () => {
    let smallest = 1;
    for (const { x, df, sf } of cases) {
      const ours = chi2Sf(x, df);
      const rel = sf === 0 ? Math.abs(ours) : Math.abs(ours - sf) / sf;
      expect(rel, `chi2.sf(${x}, df=${df}): ours ${ours}, scipy ${sf}`).toBeLessThanOrEqual(1e-6);
      if (sf > 0) smallest = Math.min(smallest, sf);
    }
    expect(smallest).toBeLessThan(1e-299); // the tiny tail was really exercised
  });

  it('keeps relative accuracy at p ≈ 1e-200 for small and large dof', () => {
    const tiny = cases.filter((c) => c.sf > 1e-210 && c.sf < 1e-190);
    expect(tiny.length).toBeGreaterThanOrEqual(10);
    for (const { x, df, sf } of tiny) expect(Math.abs(chi2Sf(x, df) / sf - 1)).toBeLessThan(1e-9);
  });

  it('has the usual special values', () => {
    expect(chi2Sf(0, 3)).toBe(1);
    expect(chi2Sf(2, 2)).toBeCloseTo(Math.exp(-1), 14);
    expect(Number.isNaN(chi2Sf(-1, 2))).toBe(true);
    expect(gammaincc(1, 3)).toBeCloseTo(Math.exp(-3), 15);
    expect(gammainc(3, 2) + gammaincc(3, 2)).toBeCloseTo(1, 15);
  });
});

describe('lgamma', () => {
  it('matches log factorials and Γ(½) = √π', () => {
    let logFact = 0;
    for (let n = 1; n <= 170; n++) {
      expect(Math.abs(lgamma(n + 1) - (logFact += Math.log(n)))).toBeLessThan(1e-12 * Math.max(1, logFact));
    }
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lgamma(1)).toBeCloseTo(0, 15);
    expect(Number.isNaN(lgamma(0))).toBe(true);
  });
});
