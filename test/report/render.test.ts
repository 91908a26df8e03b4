import { describe, expect, it } from 'vitest';
import { renderCheckReport } from '../../src/report/check.js';
import { renderReport } from '../../src/report/render.js';
import type { ReportData } from '../../src/report/types.js';
import { sampleReportData } from './sample-data.js';

/** The HTML of one feature's section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('renderReport', () => {
  const data = sampleReportData();
  const html = renderReport(data);

  it('is one self-contained document that forbids network access', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    // No external resources: the only URL is the SVG namespace.
    const urls = html.match(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"')]*/gi) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/<link|<img|@import|url\(/i);
  });

  it('puts the drifted features first in the summary table, critical before warning', () => {
    const table = html.slice(html.indexOf('<table class="summary"'), html.indexOf('</table>'));
    const order = [...table.matchAll(/<a href="#f-([^"]+)">/g)].map((m) => m[1]);
    expect(order).toEqual(['amount', 'merchant_category', 'device_score']);
    expect(table).toContain('PSI 0.381');
    expect(html).toMatch(/Stable: .*country.*customer_age.*hour_of_day/);
    expect(html.indexOf('id="drifted"')).toBeLessThan(html.indexOf('class="feature'));
  });

  it('draws per feature: overlaid histograms, one chart per metric with threshold lines, the null rate', () => {
    const amount = section(html, 'f-amount');
    expect(amount.match(/class="bar-baseline"/g)).toHaveLength(10);
    expect(amount.match(/class="bar-current"/g)).toHaveLength(10);
    for (const m of ['psi', 'ks_statistic', 'jensen_shannon', 'wasserstein_normed']) expect(amount).toContain(`series metric-${m}`);
    expect(amount).not.toContain('metric-null_rate_increase'); // drawn on the null-rate chart instead
    expect(amount).toContain('series null-rate');
    expect(amount.match(/class="threshold threshold-warn"/g)!.length).toBeGreaterThanOrEqual(5);
    expect(amount.match(/class="threshold threshold-critical"/g)!.length).toBeGreaterThanOrEqual(4);
    expect(amount.match(/class="series-line"/g)).toHaveLength(5);
    expect(amount).toContain('class="pt pt-critical"');
    const cat = section(html, 'f-merchant_category');
    expect(cat).toContain('gaming (new)');
    expect(cat).toContain('series metric-chi2_pvalue');
    expect(cat).toContain('>1e-');
  });

  it('draws the alerts timeline: fired markers, resolved markers, severity bars', () => {
    const tl = html.slice(html.indexOf('class="chart timeline"'), html.indexOf('</svg>', html.indexOf('class="chart timeline"')));
    expect(tl.match(/class="alert-fired"/g)).toHaveLength(4);
    expect(tl.match(/class="alert-resolved"/g)).toHaveLength(1);
    expect(tl.match(/class="alert-bar alert-critical"/g)).toHaveLength(1);
    expect(tl.match(/class="alert-bar alert-warn"/g)).toHaveLength(2);
    expect(tl).toContain('amount: critical from 2026-11-22 09:00 UTC, still firing');
    expect(tl).toContain('device_score: warn from 2026-11-21 20:00 UTC to 2026-11-22 03:00 UTC');
  });

  it('escapes feature names and stream names', () => {
    const evil: ReportData = {
      ...data,
      stream: '<script>alert(1)</script>',
      features: [{ ...data.features[0]!, name: '"><img src=x onerror=alert(1)>' }],
      alerts: [{ time: data.from!, feature: '"><img src=x onerror=alert(1)>', state: 'firing', severity: 'warn' }],
    };
    const out = renderReport(evil);
    expect(out).not.toContain('<script>alert(1)</script>');
    expect(out).not.toContain('<img src=x');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('id="f-_22_3e_3cimg_20src_3dx_20onerror_3dalert_281_29_3e"');
  });

  it('copes with empty data and a feature without windows', () => {
    const empty = renderReport({ stream: 's', generatedAt: 0, features: [], alerts: [] });
    expect(empty).toContain('No feature drifted in this range.');
    expect(empty).toContain('No windows in range.');
    const bare = renderReport({ stream: 's', generatedAt: 0, from: 0, to: 3_600_000, features: [{ name: 'x', kind: 'numeric', series: [], thresholds: {}, nullRate: [] }], alerts: [] });
    expect(bare).toContain('No distribution data for this feature');
    expect(bare).toContain('No values in this range');
    expect(bare).toContain('No alerts fired in this range');
  });

  it('stays small for long series: dots only where the verdict was not ok', () => {
    const long = sampleReportData();
    const f = long.features[1]!; // customer_age: stable
    const series = Array.from({ length: 2000 }, (_, i) => ({ windowStart: long.from! + i * 60_000, metric: 'psi', value: 0.01, status: 'ok' as const }));
    const out = renderReport({ ...long, features: [{ ...f, series, nullRate: [] }], to: long.from! + 2000 * 60_000 });
    expect(out.match(/class="pt /g) ?? []).toHaveLength(0);
    expect(out.length).toBeLessThan(150_000);
  });
});

describe('renderCheckReport', () => {
  const html = renderCheckReport({
    baseline: { id: 'b-1234', source: 'train.parquet' },
    current: 'today.parquet',
    generatedAt: Date.UTC(2026, 10, 23, 9, 30),
    features: [
      {
        feature: 'amount',
        type: 'numeric',
        n_baseline: 100_000,
        n_current: 5000,
        null_rate_baseline: 0,
        null_rate_current: 0.01,
        metrics: { psi: 0.31, ks: { statistic: 0.21, pvalue: 1e-30, statisticLocation: 50, statisticSign: 1, method: 'asymp' }, jensen_shannon: 0.12, wasserstein: 7.1, wasserstein_normed: 0.28 },
        status: 'critical',
        histograms: {
          baseline: { kind: 'numeric', edges: [10, 20], proportions: [0.34, 0.33, 0.33], count: 100_000 },
          current: { kind: 'numeric', edges: [10, 20], proportions: [0.1, 0.3, 0.6], count: 5000 },
        },
      },
      {
        feature: 'country',
        type: 'categorical',
        n_baseline: 100_000,
        n_current: 5000,
        null_rate_baseline: 0,
        null_rate_current: 0,
        metrics: { psi: 0.01, chi2: { statistic: 3.2, pvalue: 0.36, dof: 3 }, jensen_shannon: 0.02 },
        status: 'ok',
      },
    ],
    missingFeatures: ['device_score'],
  });

  it('summarises one comparison with metrics against thresholds and histograms', () => {
    expect(html).toContain('<title>Drift check · today.parquet</title>');
    expect(html).not.toContain('class="chart series'); // no time series in batch mode
    const amount = section(html, 'f-amount');
    expect(amount.match(/class="bar-current"/g)).toHaveLength(3);
    expect(amount).toMatch(/<td>PSI<\/td><td class="num">0\.31<\/td><td class="num">≥ 0\.1<\/td><td class="num">≥ 0\.25<\/td><td><span class="badge critical">/);
    expect(amount).toContain('<td>KS p-value</td><td class="num">1.0e−30</td>');
    expect(section(html, 'f-country')).toContain('No distribution data for this feature');
    expect(html).toContain('Baseline features absent from the current data: device_score');
    expect(html.indexOf('id="f-amount"')).toBeLessThan(html.indexOf('id="f-country"'));
  });
});
