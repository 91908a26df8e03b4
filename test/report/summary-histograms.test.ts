import { describe, expect, it } from 'vitest';
import type { CategoricalBaseline, NumericBaseline } from '../../src/drift/types.js';
import { baselineHistogram, binCountsHistogram, binIndex, categoricalHistogram, checkHistograms } from '../../src/report/histograms.js';
import { alertIntervals, metricOrder, summariseFeature, windowStatuses, worstStatus } from '../../src/report/summary.js';
import { DEFAULT_THRESHOLDS, directionOf, thresholdsFromTests } from '../../src/report/thresholds.js';
import type { ReportFeature } from '../../src/report/types.js';

const numericBaseline: NumericBaseline = {
  kind: 'numeric',
  name: 'amount',
  rowCount: 12,
  finiteCount: 10,
  nullCount: 1,
  nanCount: 1,
  infCount: 0,
  sorted: Float64Array.from([1, 2, 2, 3, 4, 5, 6, 7, 8, 9]),
  sampled: false,
  psiBins: 3,
  psiEdges: Float64Array.from([2, 6]),
};

describe('histograms', () => {
  it('bins like numpy searchsorted(side=right): a value equal to an edge goes right', () => {
    const edges = [2, 6];
    expect([1, 2, 5.9, 6, 100].map((x) => binIndex(edges, x))).toEqual([0, 1, 1, 2, 2]);
  });

  it('baseline numeric histogram over the frozen PSI edges', () => {
    expect(baselineHistogram(numericBaseline)).toEqual({ kind: 'numeric', edges: [2, 6], proportions: [0.1, 0.5, 0.4], count: 10 });
  });

  it('current sample binned with the baseline edges, categorical with their categories', () => {
    const h = checkHistograms(numericBaseline, { kind: 'numeric', values: Float64Array.from([0, 6, 7, 100]), nullCount: 0, nanCount: 0, infCount: 0 });
    expect(h.current).toEqual({ kind: 'numeric', edges: [2, 6], proportions: [0.25, 0, 0.75], count: 4 });
    const cat: CategoricalBaseline = { kind: 'categorical', name: 'c', rowCount: 4, nullCount: 0, nanCount: 0, infCount: 0, categories: new Map([['a', 3], ['b', 1]]) };
    const hc = checkHistograms(cat, { kind: 'categorical', categories: new Map([['a', 1], ['z', 1]]), nullCount: 0, nanCount: 0, infCount: 0 });
    expect(hc.baseline).toEqual({ kind: 'categorical', categories: [{ name: 'a', proportion: 0.75 }, { name: 'b', proportion: 0.25 }], count: 4 });
    expect(hc.current).toEqual({ kind: 'categorical', categories: [{ name: 'a', proportion: 0.5 }, { name: 'z', proportion: 0.5 }], count: 2 });
  });

  it('window bin counts need as many bins as the edges make', () => {
    expect(binCountsHistogram([1, 1, 2], [2, 6])).toEqual({ kind: 'numeric', edges: [2, 6], proportions: [0.25, 0.25, 0.5], count: 4 });
    expect(binCountsHistogram([1, 1], [2, 6])).toBeUndefined();
    expect(categoricalHistogram({}).count).toBe(0);
  });
});

const feature = (series: ReportFeature['series']): ReportFeature => ({ name: 'f', kind: 'numeric', series, thresholds: DEFAULT_THRESHOLDS, nullRate: [] });

describe('summary', () => {
  it('orders statuses and metrics', () => {
    expect(worstStatus(['ok', 'insufficient_data', 'warn'])).toBe('warn');
    expect(worstStatus([])).toBe('insufficient_data');
    expect(metricOrder(['zeta', 'ks_pvalue', 'psi', 'jensen_shannon'])).toEqual(['psi', 'jensen_shannon', 'ks_pvalue', 'zeta']);
    expect(directionOf('ks_pvalue')).toBe('lower-means-drift');
    expect(directionOf('psi')).toBe('higher-means-drift');
    expect(thresholdsFromTests({ chi2_pvalue: { critical: 0.001 }, psi: { warn: 0.2 } })).toEqual({
      chi2_pvalue: { direction: 'lower-means-drift', critical: 0.001 },
      psi: { direction: 'higher-means-drift', warn: 0.2 },
    });
  });

  it('summarises a feature: latest and worst windows, and the metric that explains the verdict', () => {
    const f = feature([
      { windowStart: 1, metric: 'psi', value: 0.3, status: 'critical' },
      { windowStart: 1, metric: 'ks_statistic', value: 0.05, status: 'ok' },
      { windowStart: 2, metric: 'psi', value: 0.12, status: 'warn' },
      { windowStart: 2, metric: 'ks_statistic', value: 0.19, status: 'warn' },
      { windowStart: 0, metric: 'psi', value: 0.01, status: 'ok' },
    ]);
    expect(windowStatuses(f.series).map((w) => w.status)).toEqual(['ok', 'critical', 'warn']);
    const s = summariseFeature(f);
    expect(s).toMatchObject({ latestStatus: 'warn', worstStatus: 'critical', windows: 3, warnWindows: 1, criticalWindows: 1, latestWindow: 2 });
    // Both warn; KS is 1.9× its warn threshold, PSI 1.2×.
    expect(s.headline).toMatchObject({ metric: 'ks_statistic', value: 0.19, status: 'warn' });
  });

  it('turns alert transitions into firing intervals with the highest severity reached', () => {
    const iv = alertIntervals(
      [
        { time: 30, feature: 'a', state: 'firing', severity: 'critical' },
        { time: 10, feature: 'a', state: 'firing', severity: 'warn' },
        { time: 50, feature: 'a', state: 'resolved' },
        { time: 20, feature: 'b', state: 'pending' },
        { time: 40, feature: 'b', state: 'firing', severity: 'warn' },
        { time: 60, feature: 'c', state: 'resolved' },
      ],
      100,
    );
    expect(iv).toEqual([
      { feature: 'a', start: 10, end: 50, open: false, severity: 'critical' },
      { feature: 'b', start: 40, end: 100, open: true, severity: 'warn' },
    ]);
  });
});
