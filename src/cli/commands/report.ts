/**
 * `driftwatch report --db <duckdb> [--stream s] [--from t1 --to t2] --out report.html`:
 * a self-contained HTML drift report from the store. With --config, the database, the
 * stream's baseline and the rules directory come from the config file.
 */
import { statSync } from 'node:fs';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { createProgress, type Progress } from '../progress.js';
import { Command, InvalidArgumentError } from 'commander';
import { loadBaseline } from '../../baseline/store.js';
import { loadConfig } from '../../config/load.js';
import type { DriftwatchConfig } from '../../config/types.js';
import type { BaselineProfile } from '../../drift/types.js';
import { UsageError } from '../../errors.js';
import { loadReportData } from '../../report/load.js';
import { renderReport } from '../../report/render.js';
import { thresholdsFromTests } from '../../report/thresholds.js';
import { loadRules } from '../../rules/load.js';
import { parseDuration } from '../../util/duration.js';

interface ReportOptions {
  db?: string;
  config?: string;
  stream?: string;
  from?: number;
  to?: number;
  baseline?: string;
  rules?: string;
  out: string;
  title?: string;
}

/**
 * A point in time: ISO 8601 (`2026-11-23`, `2026-11-23T14:00Z`; no zone = UTC), epoch ms, or a
 * duration meaning "that long ago" (`24h`, `7d`).
 */
export function parseTimeArg(value: string, now = Date.now()): number {
  const v = value.trim();
  if (/^\d{10,}$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(v) || v.length === 10 ? v : `${v}Z`;
    const t = Date.parse(zoned);
    if (!Number.isNaN(t)) return t;
  }
  try {
    return now - parseDuration(v, 'time');
  } catch {
    throw new InvalidArgumentError(`'${value}' is not a time (use 2026-11-23T14:00Z, epoch ms, or an age like 24h)`);
  }
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write a self-contained HTML drift report from the DuckDB store')
    .option('--db <path>', 'DuckDB file (default: storage.duckdb from --config)')
    .option('--config <file>', 'driftwatch.yaml: supplies --db, the stream baseline and the rules directory')
    .option('--stream <name>', 'stream to report on (required when the store has several)')
    .option('--from <time>', 'first window start: ISO time, epoch ms, or an age like 24h', (v) => parseTimeArg(v))
    .option('--to <time>', 'end of the range (exclusive)', (v) => parseTimeArg(v))
    .option('--baseline <dir>', 'baseline profile for the baseline histograms (default: the stream baseline from --config)')
    .option('--rules <dir>', 'rule files for the threshold lines (default: rules.dir from --config, else built-in defaults)')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--title <text>', 'report title')
    .action(async (opts: ReportOptions) => {
      await runReport(opts);
    });
}

async function runReport(opts: ReportOptions): Promise<void> {
  const progress = createProgress();
  try {
    await writeReport(opts, progress);
  } finally {
    progress.finish();
  }
}

async function writeReport(opts: ReportOptions, progress: Progress): Promise<void> {
  progress.update('reading config and baseline', 0, 4);
  const config: DriftwatchConfig | undefined = opts.config ? await loadConfig(opts.config) : undefined;
  const db = opts.db ?? config?.storage.duckdbPath;
  if (!db) throw new UsageError('report: give --db <duckdb file> or --config <driftwatch.yaml>');
  if (opts.from !== undefined && opts.to !== undefined && opts.from >= opts.to) {
    throw new UsageError(`report: --from (${new Date(opts.from).toISOString()}) must be before --to (${new Date(opts.to).toISOString()})`);
  }
  const streamConfig = config?.streams.find((s) => s.name === opts.stream) ?? (config?.streams.length === 1 ? config.streams[0] : undefined);
  const stream = opts.stream ?? streamConfig?.name;

  const baselinePath = opts.baseline ?? streamConfig?.baseline;
  const baseline: BaselineProfile | undefined = baselinePath ? await loadBaseline(baselinePath) : undefined;

  const rulesDir = opts.rules ?? (config && existsDir(config.rules.dir) ? config.rules.dir : undefined);
  const rules = rulesDir ? loadRules(rulesDir) : undefined;

  progress.update(`loading windows and results from ${db}`, 1, 4);
  const data = await loadReportData(db, {
    ...(stream !== undefined && { stream }),
    ...(opts.from !== undefined && { from: opts.from }),
    ...(opts.to !== undefined && { to: opts.to }),
    ...(baseline && { baseline }),
    ...(opts.title !== undefined && { title: opts.title }),
    ...(rules && { thresholds: (feature: string, s: string) => thresholdsFromTests(rules.ruleFor(s, feature).tests) }),
  });
  progress.update(`rendering ${data.features.length} features`, 2, 4);
  const html = renderReport(data);
  progress.update(`writing ${opts.out}`, 3, 4);
  // Write next to the target, then rename: a reader never sees half a report.
  await writeFileAtomic(opts.out, html);
  progress.finish();
  const drifted = data.features.filter((f) => f.series.some((p) => p.status === 'warn' || p.status === 'critical')).length;
  process.stdout.write(
    `wrote ${opts.out}: stream ${data.stream}, ${data.features.length} features (${drifted} drifted), ${data.alerts.length} alert events, ${Math.round(html.length / 1024)} KiB\n`,
  );
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
