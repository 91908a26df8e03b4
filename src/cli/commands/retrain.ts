/**
 * `driftwatch retrain listen`: run a command for each retrain event on a Kafka topic,
 * committing each event's offset only after the command exited 0.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { AlertLogger } from '../../alerts/types.js';
import { UsageError } from '../../errors.js';
import { startRetrainListener } from '../../retrain/listen.js';
import { DEFAULT_RETRAIN_TOPIC } from '../../retrain/kafka-publisher.js';
import { parseDuration } from '../../util/duration.js';

interface ListenCliOptions {
  brokers: string[];
  topic: string;
  group: string;
  exec: string;
  fromBeginning?: boolean;
  maxAttempts?: number;
  timeout?: number;
  retryMax: number;
}

const parseList = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const intOption =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };

const durationOption = (value: string): number => {
  try {
    return parseDuration(value, 'duration');
  } catch {
    throw new InvalidArgumentError('expected a duration such as 30s, 10m, 2h');
  }
};

/** One JSON line per log record on stderr (stdout belongs to the command). */
export const stderrLogger: AlertLogger = {
  info: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'info', msg, ...obj })}\n`),
  warn: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...obj })}\n`),
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'error', msg, ...obj })}\n`),
};

export function registerRetrain(program: Command): void {
  const retrain = program.command('retrain').description('retrain events');
  retrain
    .command('listen')
    .description('consume retrain events and run a command per event (event JSON on stdin, DRIFTWATCH_* env vars)')
    .requiredOption('--brokers <list>', 'Kafka bootstrap brokers, comma-separated', parseList)
    .option('--topic <topic>', 'retrain topic', DEFAULT_RETRAIN_TOPIC)
    .requiredOption('--group <id>', 'consumer group id')
    .requiredOption('--exec <command>', 'shell command to run per event')
    .option('--from-beginning', 'a new group starts at the oldest event (default: only new events)')
    .option('--max-attempts <n>', 'stop with an error after n failed runs of one event (default: retry forever)', intOption(1))
    .option('--timeout <duration>', 'kill the command after this long (counts as a failure)', durationOption)
    .option('--retry-max <duration>', 'longest wait between retries', durationOption, 300_000)
    .action(async (opts: ListenCliOptions) => {
      if (opts.brokers.length === 0) throw new UsageError('--brokers: give at least one host:port');
      const listener = await startRetrainListener({
        kafka: { brokers: opts.brokers, clientId: 'driftwatch-retrain-listener' },
        topic: opts.topic,
        groupId: opts.group,
        command: opts.exec,
        fromBeginning: opts.fromBeginning ?? false,
        backoff: { initialMs: Math.min(1_000, opts.retryMax), maxMs: opts.retryMax, factor: 2 },
        ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
        ...(opts.timeout !== undefined ? { exec: { timeoutMs: opts.timeout } } : {}),
        logger: stderrLogger,
      });
      stderrLogger.info({ topic: opts.topic, group: opts.group }, 'listening for retrain events');
      const stop = (): void => void listener.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await listener.done;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
