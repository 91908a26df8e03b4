import { describe, expect, it } from 'vitest';
import { eventTimeFrom, kafkaTimestampMs } from '../../src/ingest/event-time.js';

describe('event time', () => {
  const T = Date.UTC(2026, 10, 23, 13, 45, 0, 123);

  it.each([
    ['epoch ms', T, T],
    ['fractional epoch ms (floored)', T + 0.9, T],
    ['ISO with Z', '2026-11-23T13:45:00.123Z', T],
    ['ISO with offset', '2026-11-23T14:45:00.123+01:00', T],
    ['ISO with space separator', '2026-11-23 13:45:00.123Z', T],
    ['ISO date only', '2026-11-23', Date.UTC(2026, 10, 23)],
    ['Date', new Date(T), T],
    ['zero', 0, 0],
  ])('reads %s', (_label, value, expected) => {
    expect(eventTimeFrom(value, 'event_time')).toBe(expected);
  });

  it.each([
    ['missing', undefined, '/event_time is missing (it is the configured event-time field)'],
    ['null', null, '/event_time is missing (it is the configured event-time field)'],
    ['NaN', Number.NaN, '/event_time is not a usable epoch-milliseconds time (got NaN)'],
    ['Infinity', Number.POSITIVE_INFINITY, '/event_time is not a usable epoch-milliseconds time (got Infinity)'],
    ['beyond the Date range', 9e15, '/event_time is not a usable epoch-milliseconds time (got 9000000000000000)'],
    ['free text', 'yesterday', '/event_time is not an ISO 8601 date-time (got "yesterday")'],
    ['a date Date.parse would take', 'March 7, 2026', '/event_time is not an ISO 8601 date-time (got "March 7, 2026")'],
    ['impossible ISO date', '2026-13-45T00:00:00Z', '/event_time is not an ISO 8601 date-time (got "2026-13-45T00:00:00Z")'],
    ['boolean', true, '/event_time must be epoch milliseconds, an ISO 8601 string or a Date (got true)'],
    ['invalid Date', new Date(Number.NaN), '/event_time is an invalid Date'],
  ])('rejects %s as a validation error naming the field', (_label, value, reason) => {
    expect(eventTimeFrom(value, 'event_time')).toEqual({ ok: false, stage: 'validate', reasonClass: 'event-time', reason });
  });

  it('parses Kafka timestamps', () => {
    expect(kafkaTimestampMs('1700000000000')).toBe(1_700_000_000_000);
    expect(kafkaTimestampMs('nope')).toBeNaN();
    expect(kafkaTimestampMs(undefined)).toBeNaN();
  });
});
