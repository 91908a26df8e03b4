/** Facts derived from ReportData for the summary table and the alert timeline (pure). */
import type { DriftStatus } from '../drift/types.js';
import type { MetricThresholds, ReportAlert, ReportFeature, SeriesPoint } from './types.js';

export const STATUS_RANK: Readonly<Record<DriftStatus, number>> = { insufficient_data: 0, ok: 1, warn: 2, critical: 3 };

export function worstStatus(statuses: Iterable<DriftStatus>): DriftStatus {
  let worst: DriftStatus = 'insufficient_data';
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
  return worst;
}

/** Display order and names of the metrics driftwatch computes; others follow alphabetically. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  psi: 'PSI',
  ks_statistic: 'KS statistic',
  jensen_shannon: 'Jensen–Shannon distance',
  wasserstein_normed: 'Wasserstein (normed)',
  wasserstein: 'Wasserstein',
  chi2_statistic: 'χ² statistic',
  ks_pvalue: 'KS p-value',
  chi2_pvalue: 'χ² p-value',
  null_rate_increase: 'Null-rate increase',
};

export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric.replace(/_/g, ' ');
}

export function metricOrder(metrics: Iterable<string>): string[] {
  const known = Object.keys(METRIC_LABELS);
  const rank = (m: string): number => {
    const i = known.indexOf(m);
    return i === -1 ? known.length : i;
  };
  return [...new Set(metrics)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface Headline {
  readonly metric: string;
  readonly value: number;
  readonly status: DriftStatus;
  readonly thresholds?: MetricThresholds;
}

export interface FeatureSummary {
  readonly name: string;
  readonly kind: ReportFeature['kind'];
  /** Worst status over the metrics of the most recent window. */
  readonly latestStatus: DriftStatus;
  readonly worstStatus: DriftStatus;
  readonly windows: number;
  readonly warnWindows: number;
  readonly criticalWindows: number;
  readonly latestWindow?: number;
  /** The metric that explains the latest verdict best. */
  readonly headline?: Headline;
  readonly latestNullRate?: number;
}

/** Worst status per window start, in time order. */
export function windowStatuses(series: readonly SeriesPoint[]): Array<{ windowStart: number; status: DriftStatus }> {
  const byWindow = new Map<number, DriftStatus>();
  for (const p of series) byWindow.set(p.windowStart, worstStatus([byWindow.get(p.windowStart) ?? 'insufficient_data', p.status]));
  return [...byWindow].sort((a, b) => a[0] - b[0]).map(([windowStart, status]) => ({ windowStart, status }));
}

export function summariseFeature(f: ReportFeature): FeatureSummary {
  const windows = windowStatuses(f.series);
  const last = windows[windows.length - 1];
  const latestPoints = last ? f.series.filter((p) => p.windowStart === last.windowStart) : [];
  const order = metricOrder(latestPoints.map((p) => p.metric));
  // Worst status first, then how far past its warn threshold, then display order.
  const headlinePoint = [...latestPoints].sort(
    (a, b) =>
      STATUS_RANK[b.status] - STATUS_RANK[a.status] ||
      severityRatio(b, f.thresholds[b.metric]) - severityRatio(a, f.thresholds[a.metric]) ||
      order.indexOf(a.metric) - order.indexOf(b.metric),
  )[0];
  const lastNull = f.nullRate.length ? [...f.nullRate].sort((a, b) => a.windowStart - b.windowStart)[f.nullRate.length - 1] : undefined;
  return {
    name: f.name,
    kind: f.kind,
    latestStatus: last?.status ?? 'insufficient_data',
    worstStatus: worstStatus(windows.map((w) => w.status)),
    windows: windows.length,
    warnWindows: windows.filter((w) => w.status === 'warn').length,
    criticalWindows: windows.filter((w) => w.status === 'critical').length,
    ...(last && { latestWindow: last.windowStart }),
    ...(headlinePoint && {
      headline: {
        metric: headlinePoint.metric,
        value: headlinePoint.value,
        status: headlinePoint.status,
        ...(f.thresholds[headlinePoint.metric] && { thresholds: f.thresholds[headlinePoint.metric] }),
      },
    }),
    ...(lastNull && { latestNullRate: lastNull.value }),
  };
}

/** value / warn threshold in the metric's bad direction; 0 without a threshold. */
function severityRatio(p: SeriesPoint, t: MetricThresholds | undefined): number {
  const ref = t?.warn ?? t?.critical;
  if (ref === undefined || ref === 0 || !Number.isFinite(p.value)) return 0;
  return t?.direction === 'lower-means-drift' ? ref / Math.max(p.value, 1e-300) : p.value / ref;
}

export interface AlertInterval {
  readonly feature: string;
  readonly start: number;
  /** Resolve time, or the end of the report range when still firing. */
  readonly end: number;
  readonly open: boolean;
  /** Highest severity reached during the interval. */
  readonly severity: 'warn' | 'critical';
}

/** Firing → resolved spans per feature, from the alert transitions. */
export function alertIntervals(alerts: readonly ReportAlert[], rangeEnd: number): AlertInterval[] {
  const out: AlertInterval[] = [];
  const open = new Map<string, { start: number; severity: 'warn' | 'critical' }>();
  for (const a of [...alerts].sort((x, y) => x.time - y.time)) {
    const cur = open.get(a.feature);
    if (a.state === 'firing') {
      const sev = a.severity ?? 'warn';
      if (cur) cur.severity = cur.severity === 'critical' || sev === 'critical' ? 'critical' : 'warn';
      else open.set(a.feature, { start: a.time, severity: sev });
    } else if ((a.state === 'resolved' || a.state === 'ok') && cur) {
      out.push({ feature: a.feature, start: cur.start, end: a.time, open: false, severity: cur.severity });
      open.delete(a.feature);
    }
  }
  for (const [feature, cur] of open) out.push({ feature, start: cur.start, end: Math.max(rangeEnd, cur.start), open: true, severity: cur.severity });
  return out.sort((a, b) => a.start - b.start || a.feature.localeCompare(b.feature));
}
