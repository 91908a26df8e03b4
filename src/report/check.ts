/**
 * HTML for the batch `driftwatch check --html out.html`: one comparison of a current file with
 * the baseline, so no time series: a summary table, and per feature the two distributions
 * overlaid next to its metrics and their thresholds.
 */
import type { DriftStatus, FeatureDrift } from '../drift/types.js';
import { histogramChart } from './chart-histogram.js';
import { esc, fmtCount, fmtNumber, fmtPercent, fmtTime } from './format.js';
import { anchor, badge, page } from './render.js';
import { STATUS_RANK, metricLabel } from './summary.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import type { MetricThresholds, ReportHistogram } from './types.js';

export interface CheckFeatureInput extends FeatureDrift {
  readonly status: DriftStatus;
  /** From checkHistograms(baseline, sample); without them the section has no chart. */
  readonly histograms?: { readonly baseline?: ReportHistogram; readonly current?: ReportHistogram };
}

/** Structurally the CheckReport of src/baseline/check.ts, plus optional histograms and thresholds. */
export interface CheckReportInput {
  readonly baseline?: { readonly id?: string; readonly source?: string; readonly path?: string };
  /** The current data file. */
  readonly current?: string;
  readonly features: readonly CheckFeatureInput[];
  readonly missingFeatures?: readonly string[];
  /** Per metric; default the built-in rule defaults. */
  readonly thresholds?: Readonly<Record<string, MetricThresholds>>;
  readonly title?: string;
  readonly generatedAt?: number;
}

/** The metrics a FeatureDrift carries, under their rule-test names. */
export function driftMetricValues(d: FeatureDrift): Array<[string, number]> {
  const m = d.metrics;
  const out: Array<[string, number | undefined]> = [
    ['psi', m.psi],
    ['ks_statistic', m.ks?.statistic],
    ['jensen_shannon', m.jensen_shannon],
    ['wasserstein_normed', m.wasserstein_normed],
    ['wasserstein', m.wasserstein],
    ['chi2_statistic', m.chi2?.statistic],
    ['ks_pvalue', m.ks?.pvalue],
    ['chi2_pvalue', m.chi2?.pvalue],
    ['null_rate_increase', d.null_rate_current - d.null_rate_baseline],
  ];
  return out.filter((e): e is [string, number] => e[1] !== undefined && Number.isFinite(e[1]));
}

function verdict(value: number, t: MetricThresholds | undefined): DriftStatus | undefined {
  if (!t) return undefined;
  const over = (th: number | undefined): boolean => th !== undefined && (t.direction === 'lower-means-drift' ? value < th : value >= th);
  return over(t.critical) ? 'critical' : over(t.warn) ? 'warn' : 'ok';
}

export function renderCheckReport(check: CheckReportInput): string {
  const thresholds = check.thresholds ?? DEFAULT_THRESHOLDS;
  const features = [...check.features].sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status] || a.feature.localeCompare(b.feature));
  const title = check.title ?? `Drift check${check.current ? ` · ${check.current}` : ''}`;
  const count = (s: DriftStatus): number => features.filter((f) => f.status === s).length;
  const meta: Array<[string, string | undefined]> = [
    ['current', check.current],
    ['baseline', check.baseline?.id],
    ['training data', check.baseline?.source],
    ['generated', `${fmtTime(check.generatedAt ?? Date.now())} UTC`],
  ];
  const header = `<header class="top"><div class="inner"><div><h1>${esc(title)}</h1>
<div class="sub">One batch compared with the training baseline</div></div>
<dl>${meta
    .filter((m): m is [string, string] => m[1] !== undefined)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('')}</dl></div></header>`;

  const cards = `<div class="cards">
<div class="card"><div class="k">Features</div><div class="v">${features.length}</div></div>
<div class="card crit"><div class="k">Critical</div><div class="v">${count('critical')}</div></div>
<div class="card warn"><div class="k">Warning</div><div class="v">${count('warn')}</div></div>
<div class="card ok"><div class="k">OK</div><div class="v">${count('ok')}</div></div>
</div>`;

  const cell = (v: number | undefined, fmt: (x: number) => string = fmtNumber): string => `<td class="num">${v === undefined ? '—' : esc(fmt(v))}</td>`;
  const rows = features
    .map(
      (f) =>
        `<tr><td><a href="#${anchor(f.feature)}">${esc(f.feature)}</a></td><td class="kind">${esc(f.type)}</td><td>${badge(f.status)}</td>${cell(f.metrics.psi)}${cell(
          f.metrics.ks?.statistic,
        )}${cell(f.metrics.jensen_shannon)}${cell(f.metrics.wasserstein_normed)}${cell(f.metrics.ks?.pvalue ?? f.metrics.chi2?.pvalue)}<td class="num">${esc(
          fmtPercent(f.null_rate_baseline),
        )} → ${esc(fmtPercent(f.null_rate_current))}</td><td class="num">${esc(fmtCount(f.n_current))}</td></tr>`,
    )
    .join('\n');
  const table = `<table class="summary"><thead><tr><th>Feature</th><th>Kind</th><th>Status</th><th class="num">PSI</th><th class="num">KS stat</th><th class="num">JS dist</th><th class="num">Wass. normed</th><th class="num">p-value</th><th class="num">Null rate</th><th class="num">n current</th></tr></thead><tbody>
${rows}
</tbody></table>`;
  const missing = check.missingFeatures?.length
    ? `<p class="stable">Baseline features absent from the current data: ${check.missingFeatures.map(esc).join(', ')}</p>`
    : '';

  const sections = features.map((f) => checkSection(f, thresholds)).join('\n');
  const main = `${cards}
<h2>Features</h2>
${table}
${missing}
${sections}
<footer>Generated by driftwatch check. p-value: KS for numeric features, χ² for categorical ones.</footer>`;
  return page(title, header, main);
}

function checkSection(f: CheckFeatureInput, thresholds: Readonly<Record<string, MetricThresholds>>): string {
  const chart = histogramChart({
    title: 'Distribution: baseline vs current',
    ...(f.histograms?.baseline && { baseline: f.histograms.baseline }),
    ...(f.histograms?.current && { current: f.histograms.current }),
  });
  const metricRows = driftMetricValues(f)
    .map(([metric, value]) => {
      const t = thresholds[metric];
      const v = verdict(value, t);
      const cmp = t?.direction === 'lower-means-drift' ? '<' : '≥';
      return `<tr><td>${esc(metricLabel(metric))}</td><td class="num">${esc(metric === 'null_rate_increase' ? fmtPercent(value) : fmtNumber(value))}</td><td class="num">${
        t?.warn !== undefined ? `${cmp} ${esc(fmtNumber(t.warn))}` : '—'
      }</td><td class="num">${t?.critical !== undefined ? `${cmp} ${esc(fmtNumber(t.critical))}` : '—'}</td><td>${v ? badge(v) : ''}</td></tr>`;
    })
    .join('');
  const cls = f.status === 'critical' || f.status === 'warn' ? f.status : '';
  const facts = `n baseline ${fmtCount(f.n_baseline)} · n current ${fmtCount(f.n_current)} · null rate ${fmtPercent(f.null_rate_baseline)} → ${fmtPercent(f.null_rate_current)}`;
  return `<section class="feature ${cls}" id="${anchor(f.feature)}" data-status="${f.status}">
<header><h3>${esc(f.feature)}</h3><span class="kind">${esc(f.type)}</span>${badge(f.status)}<span class="facts">${esc(facts)}</span></header>
<div class="grid"><div>${chart}</div><div><table class="metrics-table"><thead><tr><th>Metric</th><th class="num">Value</th><th class="num">Warn</th><th class="num">Critical</th><th></th></tr></thead><tbody>${metricRows}</tbody></table></div></div>
</section>`;
}
