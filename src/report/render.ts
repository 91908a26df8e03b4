/**
 * renderReport(ReportData) → one self-contained HTML file: inline CSS, inline SVG drawn here,
 * a few lines of inline JS for the "drifted only" filter, and a Content-Security-Policy that
 * forbids every network request, so the file can be mailed or archived and still open.
 */
import type { DriftStatus } from '../drift/types.js';
import { histogramChart } from './chart-histogram.js';
import { lineChart } from './chart-series.js';
import { alertTimeline } from './chart-timeline.js';
import { esc, fmtNumber, fmtPercent, fmtRange, fmtTime } from './format.js';
import { REPORT_CSS } from './styles.js';
import { STATUS_RANK, alertIntervals, metricLabel, metricOrder, summariseFeature } from './summary.js';
import type { FeatureSummary } from './summary.js';
import type { ReportData, ReportFeature } from './types.js';

export const STATUS_TEXT: Readonly<Record<DriftStatus, string>> = {
  critical: 'critical',
  warn: 'warning',
  ok: 'ok',
  insufficient_data: 'insufficient data',
};

const NULL_INCREASE = 'null_rate_increase';

/** No fetches, fonts, images or frames from anywhere: the report is the whole file. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const FILTER_JS = `(function(){var bs=document.querySelectorAll('[data-filter]');for(var i=0;i<bs.length;i++){bs[i].addEventListener('click',function(e){var b=e.currentTarget;document.body.classList.toggle('only-drifted',b.getAttribute('data-filter')==='drifted');for(var j=0;j<bs.length;j++){bs[j].setAttribute('aria-pressed',String(bs[j]===b));}});}})();`;

export function badge(status: DriftStatus): string {
  return `<span class="badge ${status}">${esc(STATUS_TEXT[status])}</span>`;
}

export function page(title: string, header: string, main: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="driftwatch">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head><body>
${header}
<main>
${main}
</main>${script ? `\n<script>${script}</script>` : ''}
</body></html>
`;
}

export function renderReport(data: ReportData): string {
  const summaries = data.features.map((f) => ({ feature: f, summary: summariseFeature(f) }));
  summaries.sort(
    (a, b) =>
      STATUS_RANK[b.summary.worstStatus] - STATUS_RANK[a.summary.worstStatus] ||
      STATUS_RANK[b.summary.latestStatus] - STATUS_RANK[a.summary.latestStatus] ||
      a.feature.name.localeCompare(b.feature.name),
  );
  const domain = timeDomain(data);
  const drifted = summaries.filter((s) => s.summary.worstStatus === 'warn' || s.summary.worstStatus === 'critical');
  const stable = summaries.filter((s) => !drifted.includes(s));
  const fired = alertIntervals(data.alerts, domain?.[1] ?? data.generatedAt).length;
  const title = data.title ?? `Drift report · ${data.stream}`;

  const header = `<header class="top"><div class="inner"><div><h1>${esc(title)}</h1>
<div class="sub">${esc(domain ? fmtRange(domain[0], domain[1]) : 'no windows in range')}</div></div>
<dl><dt>stream</dt><dd>${esc(data.stream)}</dd>${
    data.baselineId ? `<dt>baseline</dt><dd>${esc(data.baselineId)}</dd>` : ''
  }${data.source ? `<dt>source</dt><dd>${esc(data.source)}</dd>` : ''}<dt>generated</dt><dd>${esc(fmtTime(data.generatedAt))} UTC</dd></dl></div></header>`;

  const count = (s: DriftStatus): number => summaries.filter((x) => x.summary.latestStatus === s).length;
  const cards = `<div class="cards">
<div class="card"><div class="k">Features</div><div class="v">${summaries.length}</div></div>
<div class="card crit"><div class="k">Critical now</div><div class="v">${count('critical')}</div></div>
<div class="card warn"><div class="k">Warning now</div><div class="v">${count('warn')}</div></div>
<div class="card"><div class="k">Alert incidents</div><div class="v">${fired}</div></div>
</div>`;

  const summaryTable = drifted.length
    ? `<table class="summary" id="drifted"><thead><tr><th>Feature</th><th>Kind</th><th>Now</th><th>Worst</th><th class="num">Windows drifted</th><th>Top metric now</th><th class="num">Null rate now</th></tr></thead><tbody>
${drifted.map(({ summary }) => summaryRow(summary)).join('\n')}
</tbody></table>`
    : `<div class="panel" id="drifted">No feature drifted in this range.</div>`;
  const stableLine = stable.length
    ? `<p class="stable">Stable: ${stable.map(({ feature }) => `<a href="#${anchor(feature.name)}">${esc(feature.name)}</a>`).join(', ')}</p>`
    : '';

  const timeline = domain
    ? alertTimeline({ alerts: data.alerts, xDomain: domain })
    : '<p class="stable">No windows in range.</p>';

  const sections = summaries.map(({ feature, summary }) => featureSection(feature, summary, domain)).join('\n');

  const main = `${cards}
<h2>Drifted features</h2>
${summaryTable}
${stableLine}
<h2>Alerts timeline</h2>
<div class="panel">${timeline}<p class="caption"><span class="tri warn">▲</span> fired / escalated · <span class="dot">●</span> resolved · bars: firing, coloured by the highest severity reached</p></div>
<h2>Features</h2>
<div class="toolbar">Show <button type="button" data-filter="all" aria-pressed="true">all features</button><button type="button" data-filter="drifted" aria-pressed="false">drifted only</button></div>
${sections}
<footer>Generated by driftwatch. Times are UTC; each point is one window. Shaded bands: warning (amber) and critical (red) zones of the rule thresholds.</footer>`;
  return page(title, header, main, FILTER_JS);
}

function summaryRow(s: FeatureSummary): string {
  const h = s.headline;
  const th = h?.thresholds;
  const limit = h && th ? (h.status === 'critical' ? th.critical : th.warn) : undefined;
  const cmp = th?.direction === 'lower-means-drift' ? '<' : '≥';
  const top = h
    ? `${esc(metricLabel(h.metric))} ${esc(fmtNumber(h.value))}${limit !== undefined && (h.status === 'warn' || h.status === 'critical') ? ` <span class="kind">(${cmp} ${esc(fmtNumber(limit))})</span>` : ''}`
    : '—';
  return `<tr><td><a href="#${anchor(s.name)}">${esc(s.name)}</a></td><td class="kind">${esc(s.kind)}</td><td>${badge(s.latestStatus)}</td><td>${badge(
    s.worstStatus,
  )}</td><td class="num">${s.warnWindows + s.criticalWindows} / ${s.windows}</td><td>${top}</td><td class="num">${
    s.latestNullRate !== undefined ? esc(fmtPercent(s.latestNullRate)) : '—'
  }</td></tr>`;
}

function featureSection(f: ReportFeature, s: FeatureSummary, domain: readonly [number, number] | undefined): string {
  const cls = s.latestStatus === 'critical' || s.latestStatus === 'warn' ? s.latestStatus : s.worstStatus === 'critical' || s.worstStatus === 'warn' ? '' : 'is-stable';
  const facts = [
    `${s.windows} window${s.windows === 1 ? '' : 's'}`,
    s.warnWindows ? `${s.warnWindows} warning` : '',
    s.criticalWindows ? `${s.criticalWindows} critical` : '',
    s.latestWindow !== undefined ? `latest ${fmtTime(s.latestWindow)} UTC` : '',
  ].filter((x) => x !== '');
  const charts: string[] = [];
  charts.push(
    histogramChart({
      title: `Distribution: baseline vs ${f.currentLabel ?? 'current'}`,
      ...(f.baseline && { baseline: f.baseline }),
      ...(f.current && { current: f.current }),
    }),
  );
  if (domain) {
    // The null-rate increase is drawn on the null-rate chart, not on a chart of its own.
    for (const metric of metricOrder(f.series.map((p) => p.metric)).filter((m) => m !== NULL_INCREASE)) {
      const points = f.series.filter((p) => p.metric === metric).map((p) => ({ t: p.windowStart, v: p.value, status: p.status }));
      const th = f.thresholds[metric];
      charts.push(
        lineChart({
          title: metricLabel(metric),
          points,
          xDomain: domain,
          ...(th && { thresholds: th }),
          log: th?.direction === 'lower-means-drift' || /p_?value$/.test(metric),
          cls: `series metric-${metric}`,
        }),
      );
    }
    const nullStatus = new Map(f.series.filter((p) => p.metric === NULL_INCREASE).map((p) => [p.windowStart, p.status] as const));
    const base = f.baselineNullRate;
    const inc = f.thresholds[NULL_INCREASE];
    charts.push(
      lineChart({
        title: 'Null rate (null + NaN + Inf)',
        points: f.nullRate.map((p) => {
          const status = nullStatus.get(p.windowStart);
          return { t: p.windowStart, v: p.value, ...(status && { status }) };
        }),
        xDomain: domain,
        yFormat: fmtPercent,
        ...(base !== undefined && { reference: { value: base, label: `baseline ${fmtPercent(base)}` } }),
        // Rule thresholds are increases over the baseline's rate: draw them where they bite.
        ...(base !== undefined &&
          inc && {
            thresholds: {
              direction: 'higher-means-drift' as const,
              ...(inc.warn !== undefined && { warn: base + inc.warn }),
              ...(inc.critical !== undefined && { critical: base + inc.critical }),
            },
          }),
        cls: 'series null-rate',
      }),
    );
  }
  return `<section class="feature ${cls}" id="${anchor(f.name)}" data-status="${s.latestStatus}">
<header><h3>${esc(f.name)}</h3><span class="kind">${esc(f.kind)}</span>${badge(s.latestStatus)}<span class="facts">${esc(facts.join(' · '))}</span></header>
<div class="grid">${charts.map((c) => `<div>${c}</div>`).join('')}</div>
</section>`;
}

/** Time span every chart shares: the requested range, else the data's windows. */
function timeDomain(data: ReportData): [number, number] | undefined {
  const starts = data.features.flatMap((f) => [...f.series.map((p) => p.windowStart), ...f.nullRate.map((p) => p.windowStart)]);
  const times = [...starts, ...data.alerts.map((a) => a.time)];
  if (data.from !== undefined && data.to !== undefined) return [data.from, data.to];
  if (times.length === 0) return data.from !== undefined ? [data.from, data.to ?? data.from] : undefined;
  // A loop, not Math.min(...times): long series would overflow the argument stack.
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const lo = data.from ?? min;
  const hi = data.to ?? max + (data.windowMs ?? inferWindowMs(starts));
  return [lo, Math.max(hi, lo)];
}

/** Smallest gap between distinct window starts: the window slide. */
function inferWindowMs(starts: readonly number[]): number {
  const sorted = [...new Set(starts)].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, (sorted[i] ?? 0) - (sorted[i - 1] ?? 0));
  return Number.isFinite(gap) ? gap : 0;
}

/** Stable, HTML-safe id for a feature section. */
export function anchor(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}
