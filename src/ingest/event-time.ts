import { FailureStages, ReasonClasses, failure, preview, type IngestFailure } from './failure.js';

/** The ECMAScript Date range, ±8.64e15 ms: anything outside cannot be a point in time. */
const MAX_EPOCH_MS = 8.64e15;

// ISO 8601 date or date-time; Date.parse alone would also take "March 7" and friends.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Event time in epoch ms from a field value: a number (epoch ms), an ISO 8601 string,
 * or a Date. Returns a failure naming the field when the value is missing or unusable.
 */
export function eventTimeFrom(value: unknown, field: string): number | IngestFailure {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS) return Math.floor(value);
    return invalid(field, `is not a usable epoch-milliseconds time (got ${preview(value)})`);
  }
  if (typeof value === 'string') {
    if (ISO_DATE_TIME.test(value)) {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return ms;
    }
    return invalid(field, `is not an ISO 8601 date-time (got ${preview(value)})`);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isNaN(ms)) return ms;
    return invalid(field, 'is an invalid Date');
  }
  if (value === undefined || value === null) return invalid(field, 'is missing (it is the configured event-time field)');
  return invalid(field, `must be epoch milliseconds, an ISO 8601 string or a Date (got ${preview(value)})`);
}

function invalid(field: string, what: string): IngestFailure {
  return failure(FailureStages.validate, ReasonClasses.eventTime, `/${field} ${what}`);
}

/** Kafka timestamps arrive as decimal strings of epoch ms. */
export function kafkaTimestampMs(timestamp: string | undefined): number {
  const ms = Number(timestamp);
  return Number.isFinite(ms) ? ms : Number.NaN;
}
