/**
 * `driftwatch baseline build|show`: profile training data into a baseline directory, and
 * print what a stored baseline holds.
 */
import type { Command } from 'commander';
import { buildBaseline } from '../../baseline/build.js';
import { loadBaseline, writeBaseline } from '../../baseline/store.js';
import type { Baseline } from '../../baseline/types.js';
import type { TableFormat } from '../../store/read-table.js';
import { createProgress } from '../progress.js';
import { formatNumber, formatPercent, intOption, parseList, renderTable, tableFormatOption } from './check.js';

interface BuildCliOptions {
  from: string;
  out: string;
  features?: string[];
  categorical?: string[];
  numeric?: string[];
  bins?: number;
  cap?: number;
  seed?: number;
  format?: TableFormat;
}

export function baselineSummary(b: Baseline): string {
  const rows = [...b.features.values()].map((f) => {
    const missing = f.nullCount + f.nanCount + f.infCount;
    const common = [f.name, f.kind, String(f.rowCount), formatPercent(f.rowCount === 0 ? 0 : missing / f.rowCount)];
    if (f.kind === 'numeric') {
      const min = f.sorted[0];
      const max = f.sorted[f.sorted.length - 1];
      const kept = f.sampled ? `${f.sorted.length} of ${f.finiteCount}` : String(f.sorted.length);
      return [...common, kept, String(f.psiEdges.length + 1), `${formatNumber(min)} … ${formatNumber(max)}`];
    }
    const top = [...f.categories].sort((x, y) => y[1] - x[1]).slice(0, 3);
    const more = f.categories.size > 3 ? `, +${f.categories.size - 3} more` : '';
    return [...common, '-', String(f.categories.size), `${top.map(([c, n]) => `${JSON.stringify(c)}:${n}`).join(', ')}${more}`];
  });
  const header = ['feature', 'kind', 'rows', 'missing', 'values_kept', 'bins/cats', 'range / top categories'];
  const s = b.settings;
  return [
    `baseline ${b.id}`,
    `source   ${b.source}`,
    `created  ${b.createdAt}`,
    `settings psi_bins=${s.psiBins} cap=${s.cap} seed=${s.seed}`,
    '',
    renderTable(header, rows),
    '',
  ].join('\n');
}

export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description('build and inspect training baselines');

  baseline
    .command('build')
    .description('profile a training file (Parquet, CSV, JSON Lines) into a baseline directory')
    .requiredOption('--from <file>', 'training data file')
    .requiredOption('--out <dir>', 'baseline directory to write (an existing baseline there is replaced)')
    .option('--features <list>', 'comma-separated features (default: every numeric or categorical column)', parseList)
    .option('--categorical <list>', 'treat these features as categorical whatever their column type', parseList)
    .option('--numeric <list>', 'treat these features as numeric whatever their column type', parseList)
    .option('--bins <n>', 'PSI bins (default 10)', intOption(2))
    .option('--cap <n>', 'most values kept per numeric feature; above it a seeded sample (default 1000000)', intOption(1))
    .option('--seed <n>', 'sampling seed (default 42)', intOption(Number.MIN_SAFE_INTEGER))
    .option('--format <format>', 'input format when the extension does not tell (parquet|csv|jsonl)', tableFormatOption)
    .action(async (opts: BuildCliOptions) => {
      const progress = createProgress();
      const started = performance.now();
      try {
        const built = await buildBaseline({
          from: opts.from,
          ...(opts.format === undefined ? {} : { format: opts.format }),
          ...(opts.features === undefined ? {} : { features: opts.features }),
          ...(opts.categorical === undefined ? {} : { categorical: opts.categorical }),
          ...(opts.numeric === undefined ? {} : { numeric: opts.numeric }),
          ...(opts.bins === undefined ? {} : { psiBins: opts.bins }),
          ...(opts.cap === undefined ? {} : { cap: opts.cap }),
          ...(opts.seed === undefined ? {} : { seed: opts.seed }),
          onProgress: (p) => progress.update(`profiling ${p.feature}`, p.index + 1, p.total),
          onWarning: (message) => process.stderr.write(`driftwatch: warning: ${message}\n`),
        });
        await writeBaseline(built, opts.out, { onFile: (file, i, n) => progress.update(`writing ${file}`, i, n) });
        progress.finish();
        const kinds = [...built.features.values()];
        const numeric = kinds.filter((f) => f.kind === 'numeric').length;
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        process.stdout.write(
          `baseline ${built.id.slice(0, 12)} written to ${opts.out}: ${kinds.length} feature(s) (${numeric} numeric, ${kinds.length - numeric} categorical) from ${opts.from} in ${seconds} s\n`,
        );
      } finally {
        progress.finish();
      }
    });

  baseline
    .command('show')
    .description('print a summary of a stored baseline')
    .argument('<dir>', 'baseline directory')
    .action(async (dir: string) => {
      process.stdout.write(baselineSummary(await loadBaseline(dir)));
    });
}
