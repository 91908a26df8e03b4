/**
 * `driftwatch run --config <file> [--until-idle <duration>] [--from-beginning] [--log-level <lvl>]`:
 * the streaming pipeline. Runs until SIGINT/SIGTERM (a second signal exits at once) or, with
 * --until-idle, until no event arrived for that long and the windows that could close were
 * evaluated and their notifications attempted. Exit code 0 after a clean stop.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { LogLevels } from '../../config/types.js';
import type { LogLevel } from '../../config/types.js';
import { parseDuration } from '../../util/duration.js';

interface RunCliOptions {
  config: string;
  untilIdle?: number;
  fromBeginning?: boolean;
  logLevel?: LogLevel;
}

const durationOption = (value: string): number => {
  try {
    const ms = parseDuration(value, '--until-idle');
    if (ms <= 0) throw new Error('not positive');
    return ms;
  } catch {
    throw new InvalidArgumentError('expected a positive duration such as 5s, 30s, 2m');
  }
};

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('consume the configured streams, window them, evaluate drift and alert (until SIGINT/SIGTERM)')
    .requiredOption('--config <file>', 'driftwatch.yaml')
    .option('--until-idle <duration>', 'exit once no event arrived for this long (after evaluating what could close)', durationOption)
    .option('--from-beginning', 'a group without stored offsets starts at the oldest message (overrides kafka.from_beginning)')
    .addOption(new Option('--log-level <level>', 'log level (overrides logging.level)').choices(Object.values(LogLevels)))
    .action(async (opts: RunCliOptions) => {
      const config = await loadConfig(opts.config);
      // Loaded here, not at the top: other commands need not pay for Kafka and the pipeline.
      const { startPipeline } = await import('../../pipeline/pipeline.js');
      const pipeline = await startPipeline(config, {
        ...(opts.logLevel !== undefined && { logLevel: opts.logLevel }),
        ...(opts.fromBeginning === true && { fromBeginning: true }),
      });
      const abort = new AbortController();
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals += 1;
        if (signals > 1) {
          pipeline.logger.warn({ signal }, 'second signal: exiting without a graceful stop');
          process.exit(130);
        }
        pipeline.logger.info({ signal }, 'signal received; stopping gracefully');
        abort.abort();
      };
      for (const s of SIGNALS) process.on(s, onSignal);
      try {
        if (opts.untilIdle !== undefined) {
          await pipeline.settle(opts.untilIdle, { signal: abort.signal });
        } else {
          await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
        }
      } finally {
        await pipeline.stop();
        for (const s of SIGNALS) process.off(s, onSignal);
      }
    });
}
