import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../src/rules/p-adjust.js';

// Reference values: scipy.stats.false_discovery_control (BH); Bonferroni by hand.
describe('adjustPValues', () => {
  const p = [0.01, 0.04, 0.03, 0.005];

  it('benjamini-hochberg', () => {
    const out = adjustPValues(p, 'benjamini-hochberg');
    [0.02, 0.04, 0.04, 0.02].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 15));
  });

  it('benjamini-hochberg on a longer vector equals scipy.stats.false_discovery_control', () => {
    const q = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34, 0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986];
    // scipy 1.17.1: false_discovery_control(q) (method='bh')
    const expected = [
      0.025, 0.1, 0.21000000000000002, 0.21000000000000002, 0.21000000000000002, 0.25, 0.2642857142857143,
      0.49107142857142866, 0.49107142857142866, 0.49107142857142866, 0.49107142857142866, 0.49107142857142866,
      0.49107142857142866, 0.49107142857142866, 0.5328125, 0.5328125, 0.5647058823529413, 0.781578947368421,
      0.781578947368421, 0.8699999999999999, 0.9071428571428571, 0.986, 0.986, 0.986, 0.986,
    ];
    const out = adjustPValues(q, 'benjamini-hochberg');
    for (let i = 0; i < q.length; i++) expect(out[i]).toBeCloseTo(expected[i]!, 14);
  });

  it('benjamini-hochberg of the evaluate test vector equals scipy', () => {
    const out = adjustPValues([0.0001, 0.04, 0.045, 0.03, 0.049, 0.02, 0.035, 0.041, 0.038, 0.044], 'benjamini-hochberg');
    [0.001, 0.049, 0.049, 0.049, 0.049, 0.049, 0.049, 0.049, 0.049, 0.049].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 14));
  });

  it('bonferroni multiplies by m and caps at 1', () => {
    expect(adjustPValues(p, 'bonferroni')).toEqual([0.04, 0.16, 0.12, 0.02]);
    expect(adjustPValues([0.5, 0.6], 'bonferroni')).toEqual([1, 1]);
  });

  it('none and single values are unchanged', () => {
    expect(adjustPValues(p, 'none')).toEqual(p);
    expect(adjustPValues([0.03], 'bonferroni')).toEqual([0.03]);
    expect(adjustPValues([], 'benjamini-hochberg')).toEqual([]);
  });
});
