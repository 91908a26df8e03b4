/**
 * Structured JSON logs (pino) on stderr — stdout belongs to command output — and the small
 * adapters the ingest and alert modules expect. Keys that can hold secrets are censored
 * wherever they appear in a log object, as a second line of defence: nothing logs the
 * config's channel section or Kafka credentials on purpose.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { AlertLogger } from '../alerts/types.js';
import type { LogLevel } from '../config/types.js';
import type { IngestLogger } from '../ingest/logger.js';

export type PipelineLogger = Logger;

const SECRET_KEYS = ['password', 'webhookUrl', 'webhook_url', 'token', 'sasl', 'authorization', 'Authorization'];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Default: stderr, written synchronously so the last lines before an exit are not lost. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): PipelineLogger {
  return pino(
    {
      level: options.level,
      base: { name: 'driftwatch', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** The ingest module's `(message, data)` logger on top of pino's `(data, message)`. */
export function ingestLogger(logger: PipelineLogger): IngestLogger {
  const child = logger.child({ module: 'ingest' });
  return {
    info: (message, data) => child.info(data ?? {}, message),
    warn: (message, data) => child.warn(data ?? {}, message),
    error: (message, data) => child.error(data ?? {}, message),
  };
}

export function alertLogger(logger: PipelineLogger): AlertLogger {
  const child = logger.child({ module: 'alerts' });
  return {
    info: (obj, msg) => child.info(obj, msg),
    warn: (obj, msg) => child.warn(obj, msg),
    error: (obj, msg) => child.error(obj, msg),
  };
}
