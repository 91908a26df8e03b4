import { logLevel, type logCreator } from 'kafkajs';

/** The little the ingest needs from a logger; pino's child loggers fit via an adapter. */
export interface IngestLogger {
  info(message: string, data?: Readonly<Record<string, unknown>>): void;
  warn(message: string, data?: Readonly<Record<string, unknown>>): void;
  error(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/** Warnings and errors to stderr as one JSON line each; info is dropped. */
export const stderrIngestLogger: IngestLogger = {
  info() {},
  warn(message, data) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...data })}\n`);
  },
  error(message, data) {
    process.stderr.write(`${JSON.stringify({ level: 'error', message, ...data })}\n`);
  },
};

export const KafkaLogLevels = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;
export type KafkaLogLevelName = keyof typeof KafkaLogLevels;

/** Routes kafkajs' own log lines to our logger (debug goes to info). */
export function kafkaLogCreator(logger: IngestLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _ts, ...extra } = log;
      const text = `kafkajs ${namespace}: ${message}`;
      if (level === logLevel.ERROR) logger.error(text, extra);
      else if (level === logLevel.WARN) logger.warn(text, extra);
      else logger.info(text, extra);
    };
}
