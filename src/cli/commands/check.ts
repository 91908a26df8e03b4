/**
 * `driftwatch check`: batch drift check of a data file against a baseline, printed as JSON
 * or an aligned table. Exit 0 whenever the check ran, whatever the drift.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CheckReport, FeatureCheck } from '../../baseline/check.js';
import { runCheck } from '../../baseline/check.js';
import type { StatusDecider } from '../../baseline/status.js';
import type { BaselineProfile, DriftMetrics, FeatureBaseline, FeatureKind, FeatureSample } from '../../drift/types.js';
import { checkHistograms, renderCheckReport } from '../../report/index.js';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { loadRules } from '../../rules/load.js';
import { ruleStatusFunction } from '../../rules/evaluate.js';
import type { TableFormat } from '../../store/read-table.js';
import { TableFormats, isTableFormat } from '../../store/read-table.js';
import { createProgress } from '../progress.js';

// ---- option parsing and table rendering shared by the check and baseline commands ----

/** Commander parser for `a,b,c` lists (empty items dropped). */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Commander parser factory for integers ≥ `min`. */
export function intOption(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    }
    return n;
  };
}

export function tableFormatOption(value: string): TableFormat {
  if (!isTableFormat(value)) throw new InvalidArgumentError(`expected one of ${Object.values(TableFormats).join(', ')}`);
  return value;
}

/** Left-aligns text columns and right-aligns columns whose cells all look numeric. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.]+(e[-+]?\d+)?%?$|^-$/.test(r[c] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Compact human number: 4 significant digits, exponent for tiny values. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs < 1e-4 || abs >= 1e9) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

// ---- output ----

/** The metrics object in the documented key order (absent metrics are left out). */
function metricsJson(m: DriftMetrics): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.psi !== undefined) out.psi = m.psi;
  if (m.ks !== undefined) out.ks = { statistic: m.ks.statistic, pvalue: m.ks.pvalue };
  if (m.chi2 !== undefined) out.chi2 = { statistic: m.chi2.statistic, pvalue: m.chi2.pvalue, dof: m.chi2.dof };
  if (m.jensen_shannon !== undefined) out.jensen_shannon = m.jensen_shannon;
  if (m.wasserstein !== undefined) out.wasserstein = m.wasserstein;
  if (m.wasserstein_normed !== undefined) out.wasserstein_normed = m.wasserstein_normed;
  return out;
}

function featureJson(f: FeatureCheck): Record<string, unknown> {
  return {
    feature: f.feature,
    type: f.type,
    n_baseline: f.n_baseline,
    n_current: f.n_current,
    null_rate_baseline: f.null_rate_baseline,
    null_rate_current: f.null_rate_current,
    metrics: metricsJson(f.metrics),
    status: f.status,
  };
}

export function checkReportJson(report: CheckReport): string {
  return JSON.stringify({
    features: report.features.map(featureJson),
    baseline: { id: report.baseline.id, source: report.baseline.source },
    current: report.current,
    missing_features: report.missingFeatures,
  });
}

export function checkReportTable(report: CheckReport): string {
  const header = ['feature', 'type', 'n_base', 'n_cur', 'null_base', 'null_cur', 'psi', 'ks/chi2', 'p-value', 'js', 'wass_norm', 'status'];
  const rows = report.features.map((f) => {
    const test = f.metrics.ks ?? f.metrics.chi2;
    return [
      f.feature,
      f.type,
      String(f.n_baseline),
      String(f.n_current),
      formatPercent(f.null_rate_baseline),
      formatPercent(f.null_rate_current),
      formatNumber(f.metrics.psi),
      formatNumber(test?.statistic),
      formatNumber(test?.pvalue),
      formatNumber(f.metrics.jensen_shannon),
      formatNumber(f.metrics.wasserstein_normed),
      f.status,
    ];
  });
  const lines = [`baseline ${report.baseline.id.slice(0, 12)} (${report.baseline.source}) vs ${report.current}`, '', renderTable(header, rows)];
  if (report.missingFeatures.length > 0) lines.push('', `not in current data: ${report.missingFeatures.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

// ---- command ----

interface CheckCliOptions {
  baseline: string;
  current: string;
  features?: string[];
  rules?: string;
  format: 'json' | 'table';
  bins?: number;
  baselineFormat?: TableFormat;
  currentFormat?: TableFormat;
  html?: string;
}

function rulesDecider(dir: string): (baseline: BaselineProfile) => StatusDecider {
  return (baseline) => {
    const kinds = new Map<string, FeatureKind>([...baseline.features].map(([name, f]) => [name, f.kind]));
    // Per-feature rule status, without multiple-comparison adjustment (the rules engine's
    // evaluateWindow does that for streams; a batch check reports each feature on its own).
    return ruleStatusFunction(loadRules(dir, { baselineFeatures: kinds }));
  };
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('compare a data file with a baseline and report drift per feature (exit 0 whenever the check ran)')
    .requiredOption('--baseline <path>', 'baseline profile directory, or a raw training file (Parquet/CSV/JSONL) profiled in memory')
    .requiredOption('--current <file>', 'current data: Parquet, CSV or JSON Lines')
    .option('--features <list>', 'comma-separated features to compare (default: all common features)', parseList)
    .option('--rules <dir>', 'rules directory deciding each feature status (default: PSI ≥ 0.1 warn, ≥ 0.25 critical)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('table'))
    .option('--bins <n>', 'PSI bins (default: the bins the baseline was built with)', intOption(2))
    .option('--baseline-format <format>', 'format of a raw baseline file when its extension does not tell', tableFormatOption)
    .option('--current-format <format>', 'format of the current file when its extension does not tell', tableFormatOption)
    .option('--html <file>', 'also write a self-contained HTML report with the distributions overlaid')
    .action(async (opts: CheckCliOptions) => {
      const progress = createProgress();
      const histograms = new Map<string, ReturnType<typeof checkHistograms>>();
      try {
        const report = await runCheck({
          baseline: opts.baseline,
          current: opts.current,
          ...(opts.features === undefined ? {} : { features: opts.features }),
          ...(opts.bins === undefined ? {} : { psiBins: opts.bins }),
          ...(opts.baselineFormat === undefined ? {} : { baselineFormat: opts.baselineFormat }),
          ...(opts.currentFormat === undefined ? {} : { currentFormat: opts.currentFormat }),
          ...(opts.rules === undefined ? {} : { makeStatusDecider: rulesDecider(opts.rules) }),
          onProgress: (p) => progress.update(`${p.phase === 'baseline' ? 'profiling baseline' : 'comparing'} ${p.feature}`, p.index + 1, p.total),
          ...(opts.html === undefined ? {} : { onSample: (name: string, base: FeatureBaseline, cur: FeatureSample) => histograms.set(name, checkHistograms(base, cur)) }),
        });
        progress.finish();
        if (opts.html !== undefined) {
          const features = report.features.map((f) => ({ ...f, ...(histograms.has(f.feature) && { histograms: histograms.get(f.feature)! }) }));
          await writeFileAtomic(opts.html, renderCheckReport({ ...report, features }));
          process.stderr.write(`driftwatch: HTML report written to ${opts.html}\n`);
        }
        process.stdout.write(opts.format === 'json' ? `${checkReportJson(report)}\n` : checkReportTable(report));
      } finally {
        progress.finish();
      }
    });
}
