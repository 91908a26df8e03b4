import { describe, expect, it } from 'vitest';
import type { FeatureDrift } from '../../src/drift/types.js';
import { driftTestNames, driftTests, isDriftTestName, levelFor, thresholdsOrdered } from '../../src/drift/registry.js';

const drift: FeatureDrift = {
  feature: 'amount',
  type: 'numeric',
  n_baseline: 1000,
  n_current: 100,
  null_rate_baseline: 0.01,
  null_rate_current: 0.11,
  metrics: {
    psi: 0.3,
    ks: { statistic: 0.15, pvalue: 0.02, statisticLocation: 3, statisticSign: 1, method: 'exact' },
    jensen_shannon: 0.05,
    wasserstein: 2,
    wasserstein_normed: 0.12,
  },
};

describe('drift test registry', () => {
  it('keys equal names, defaults are ordered, every test reads its own metric', () => {
    for (const name of driftTestNames) {
      const t = driftTests[name];
      expect(t.name).toBe(name);
      expect(thresholdsOrdered(t, t.defaults), name).toBe(true);
      expect(t.kinds.length).toBeGreaterThan(0);
    }
    expect(driftTests.psi.value(drift)).toBe(0.3);
    expect(driftTests.ks_pvalue.value(drift)).toBe(0.02);
    expect(driftTests.ks_statistic.value(drift)).toBe(0.15);
    expect(driftTests.chi2_pvalue.value(drift)).toBeUndefined();
    expect(driftTests.null_rate_increase.value(drift)).toBeCloseTo(0.1, 15);
  });

  it('has the customary defaults and directions', () => {
    expect(driftTests.psi.defaults).toEqual({ warn: 0.1, critical: 0.25 });
    expect(driftTests.ks_pvalue.defaults.warn).toBe(0.05);
    expect(driftTests.ks_pvalue.direction).toBe('lower-means-drift');
    expect(driftTests.jensen_shannon.defaults.warn).toBe(0.1);
    expect(driftTests.wasserstein_normed.defaults.warn).toBe(0.1);
    // Effect sizes gate by default, p-values are opt-in.
    expect(driftTestNames.filter((n) => driftTests[n].gatesByDefault).sort()).toEqual(
      ['jensen_shannon', 'ks_statistic', 'null_rate_increase', 'psi', 'wasserstein_normed'].sort(),
    );
  });

  it('levels follow the direction: ≥ for higher-means-drift, < for lower-means-drift', () => {
    expect(levelFor(driftTests.psi, 0.1)).toBe('warn');
    expect(levelFor(driftTests.psi, 0.25)).toBe('critical');
    expect(levelFor(driftTests.psi, 0.0999)).toBe('ok');
    expect(levelFor(driftTests.ks_pvalue, 0.05)).toBe('ok');
    expect(levelFor(driftTests.ks_pvalue, 0.049)).toBe('warn');
    expect(levelFor(driftTests.ks_pvalue, 0.001)).toBe('critical');
    expect(levelFor(driftTests.psi, 0.15, { warn: 0.2, critical: 0.3 })).toBe('ok');
    expect(levelFor(driftTests.psi, Number.NaN)).toBe('ok');
  });

  it('recognises names and rejects misordered thresholds', () => {
    expect(isDriftTestName('psi')).toBe(true);
    expect(isDriftTestName('toString')).toBe(false);
    expect(thresholdsOrdered(driftTests.ks_pvalue, { warn: 0.01, critical: 0.05 })).toBe(false);
  });
});
