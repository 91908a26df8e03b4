/**
 * A realistic, deterministic ReportData for the card-transactions demo: 48 hourly windows,
 * `amount` drifting upwards from window 30 (critical, still firing), `merchant_category`
 * gaining a new category (warning), `device_score` losing values for a while (null rate up,
 * alert resolved), the rest stable.
 */
import type { DriftStatus } from '../../src/drift/types.js';
import { DEFAULT_THRESHOLDS } from '../../src/report/thresholds.js';
import type { ReportAlert, ReportData, ReportFeature, ReportHistogram, SeriesPoint } from '../../src/report/types.js';

export const T0 = Date.UTC(2026, 10, 21, 0, 0, 0);
export const HOUR = 3_600_000;
export const WINDOWS = 48;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf), plenty for drawing. */
function phi(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Decile edges of a normal(mu, sd), and the proportions a normal(mu2, sd2) puts in each bin. */
function normalBins(mu: number, sd: number, mu2: number, sd2: number): { edges: number[]; base: number[]; cur: number[] } {
  const z = [-1.2816, -0.8416, -0.5244, -0.2533, 0, 0.2533, 0.5244, 0.8416, 1.2816];
  const edges = z.map((q) => Math.round((mu + q * sd) * 100) / 100);
  const cdf = (x: number): number => phi((x - mu2) / sd2);
  const cur = edges.map((e, i) => cdf(e) - (i === 0 ? 0 : cdf(edges[i - 1]!)));
  cur.push(1 - cdf(edges[edges.length - 1]!));
  return { edges, base: Array.from({ length: 10 }, () => 0.1), cur };
}

function statusFor(metric: string, v: number): DriftStatus {
  const t = DEFAULT_THRESHOLDS[metric];
  if (!t) return 'ok';
  if (t.critical !== undefined && v >= t.critical) return 'critical';
  if (t.warn !== undefined && v >= t.warn) return 'warn';
  return 'ok';
}

/** Small deterministic wiggle so stable series don't look flat. */
function noise(i: number, seed: number): number {
  return Math.sin(i * 12.9898 + seed * 78.233) * 0.5 + Math.sin(i * 3.1 + seed) * 0.5;
}

function numericFeature(name: string, seed: number, drift: (i: number) => number, nullRate: (i: number) => number, baselineNull: number): ReportFeature {
  const series: SeriesPoint[] = [];
  const nulls = [];
  for (let i = 0; i < WINDOWS; i++) {
    const windowStart = T0 + i * HOUR;
    const d = drift(i);
    const psi = Math.max(0.004, 0.02 + 0.008 * noise(i, seed) + d);
    const ks = Math.max(0.005, 0.025 + 0.006 * noise(i, seed + 1) + d * 0.55);
    const js = Math.max(0.005, 0.03 + 0.006 * noise(i, seed + 2) + d * 0.45);
    const wn = Math.max(0.003, 0.02 + 0.006 * noise(i, seed + 3) + d * 0.6);
    for (const [metric, value] of [['psi', psi], ['ks_statistic', ks], ['jensen_shannon', js], ['wasserstein_normed', wn]] as const) {
      series.push({ windowStart, metric, value, status: statusFor(metric, value) });
    }
    nulls.push({ windowStart, value: nullRate(i) });
    const inc = nullRate(i) - baselineNull;
    series.push({ windowStart, metric: 'null_rate_increase', value: inc, status: statusFor('null_rate_increase', inc) });
  }
  const last = drift(WINDOWS - 1);
  const bins = normalBins(60, 25, 60 + last * 60, 25 * (1 + last * 0.4));
  const baseline: ReportHistogram = { kind: 'numeric', edges: bins.edges, proportions: bins.base, count: 1_000_000 };
  const current: ReportHistogram = { kind: 'numeric', edges: bins.edges, proportions: bins.cur, count: 10_412 };
  return {
    name,
    kind: 'numeric',
    baseline,
    current,
    currentLabel: 'window 11-22 23:00',
    series,
    thresholds: DEFAULT_THRESHOLDS,
    nullRate: nulls,
    baselineNullRate: baselineNull,
  };
}

function categoricalFeature(name: string, seed: number, cats: Array<[string, number, number]>, drift: (i: number) => number): ReportFeature {
  const series: SeriesPoint[] = [];
  const nulls = [];
  for (let i = 0; i < WINDOWS; i++) {
    const windowStart = T0 + i * HOUR;
    const d = drift(i);
    const psi = Math.max(0.003, 0.015 + 0.006 * noise(i, seed) + d);
    const js = Math.max(0.004, 0.02 + 0.005 * noise(i, seed + 1) + d * 0.5);
    const p = Math.max(1e-40, 0.4 * (1 + noise(i, seed + 2)) * 10 ** (-d * 150));
    series.push({ windowStart, metric: 'psi', value: psi, status: statusFor('psi', psi) });
    series.push({ windowStart, metric: 'jensen_shannon', value: js, status: statusFor('jensen_shannon', js) });
    series.push({ windowStart, metric: 'chi2_pvalue', value: p, status: 'ok' });
    nulls.push({ windowStart, value: 0 });
  }
  return {
    name,
    kind: 'categorical',
    baseline: { kind: 'categorical', categories: cats.filter((c) => c[1] > 0).map(([n, b]) => ({ name: n, proportion: b })), count: 1_000_000 },
    current: { kind: 'categorical', categories: cats.filter((c) => c[2] > 0).map(([n, , c]) => ({ name: n, proportion: c })), count: 10_412 },
    currentLabel: 'window 11-22 23:00',
    series,
    thresholds: DEFAULT_THRESHOLDS,
    nullRate: nulls,
    baselineNullRate: 0,
  };
}

export function sampleReportData(): ReportData {
  const ramp = (from: number, per: number, cap: number) => (i: number) => (i < from ? 0 : Math.min(cap, (i - from + 1) * per));
  const features: ReportFeature[] = [
    numericFeature('amount', 1, ramp(30, 0.035, 0.36), () => 0.001, 0.001),
    numericFeature('customer_age', 2, () => 0, () => 0, 0),
    numericFeature('device_score', 3, (i) => (i >= 18 && i < 26 ? 0.02 : 0), (i) => (i >= 18 && i < 26 ? 0.09 + 0.01 * noise(i, 9) : 0.011 + 0.001 * noise(i, 8)), 0.011),
    numericFeature('hour_of_day', 4, () => 0, () => 0, 0),
    categoricalFeature(
      'merchant_category',
      5,
      [
        ['grocery', 0.31, 0.27],
        ['fuel', 0.17, 0.15],
        ['restaurants', 0.15, 0.14],
        ['online_retail', 0.14, 0.13],
        ['travel', 0.09, 0.08],
        ['electronics', 0.07, 0.06],
        ['gaming', 0, 0.11],
        ['pharmacy', 0.07, 0.06],
      ],
      ramp(38, 0.012, 0.13),
    ),
    categoricalFeature(
      'country',
      6,
      [
        ['DE', 0.34, 0.35],
        ['FR', 0.22, 0.21],
        ['NL', 0.14, 0.14],
        ['ES', 0.12, 0.12],
        ['IT', 0.1, 0.11],
        ['PL', 0.08, 0.07],
      ],
      () => 0,
    ),
  ];
  const at = (i: number): number => T0 + (i + 1) * HOUR;
  const alerts: ReportAlert[] = [
    { time: at(19), feature: 'device_score', state: 'firing', severity: 'warn' },
    { time: at(26), feature: 'device_score', state: 'resolved', severity: 'warn' },
    { time: at(32), feature: 'amount', state: 'firing', severity: 'warn' },
    { time: at(36), feature: 'amount', state: 'firing', severity: 'critical' },
    { time: at(41), feature: 'merchant_category', state: 'firing', severity: 'warn' },
  ];
  return {
    stream: 'transactions',
    generatedAt: T0 + WINDOWS * HOUR + 5 * 60_000,
    from: T0,
    to: T0 + WINDOWS * HOUR,
    windowMs: HOUR,
    baselineId: 'b-7f3a9c2e',
    source: 'data/driftwatch.duckdb',
    features,
    alerts,
  };
}
