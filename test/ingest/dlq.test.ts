import { describe, expect, it } from 'vitest';
import { DlqHeaderNames, dlqHeaders, dlqMessage } from '../../src/ingest/dlq.js';
import { MAX_REASON_LENGTH, failure, preview, truncateReason } from '../../src/ingest/failure.js';

const source = { stream: 'payments', topic: 'tx', partition: 3, offset: '9007199254740993', timestamp: '1700000000000' };

describe('DLQ headers', () => {
  it('carries stage, reason, class, stream, topic, partition, offset and times as strings', () => {
    const f = failure('validate', 'type', '/amount must be number (got "12")');
    expect(dlqHeaders(f, source, 1_800_000_000_000)).toEqual({
      'driftwatch.error.stage': 'validate',
      'driftwatch.error.reason': '/amount must be number (got "12")',
      'driftwatch.error.class': 'type',
      'driftwatch.error.stream': 'payments',
      'driftwatch.error.topic': 'tx',
      'driftwatch.error.partition': '3',
      'driftwatch.error.offset': '9007199254740993',
      'driftwatch.error.timestamp': '1800000000000',
      'driftwatch.original.timestamp': '1700000000000',
    });
  });

  it('truncates long reasons', () => {
    const h = dlqHeaders(failure('decode', 'json-syntax', 'x'.repeat(50_000)), source, 0);
    expect(h[DlqHeaderNames.reason]!.length).toBe(MAX_REASON_LENGTH);
    expect(h[DlqHeaderNames.reason]!.endsWith('…')).toBe(true);
  });
});

describe('DLQ message', () => {
  it('keeps key, value and original headers byte for byte and adds ours', () => {
    const key = Buffer.from([0, 1, 2, 0xff]);
    const value = Buffer.from([0xc3, 0x28]);
    const headers = { 'trace-id': Buffer.from('abc'), multi: [Buffer.from('a'), Buffer.from('b')], 'driftwatch.error.stage': 'decode' };
    const m = dlqMessage({ key, value, headers }, failure('validate', 'required', '/amount is required'), source, 5);
    expect(m.key).toBe(key);
    expect(m.value).toBe(value);
    expect(m.headers['trace-id']).toEqual(Buffer.from('abc'));
    expect(m.headers.multi).toEqual([Buffer.from('a'), Buffer.from('b')]);
    // A message replayed from a DLQ and rejected again carries the latest error only.
    expect(m.headers['driftwatch.error.stage']).toBe('validate');
    expect(m.headers['driftwatch.error.offset']).toBe('9007199254740993');
  });

  it('keeps a null value (tombstone) null', () => {
    const m = dlqMessage({ key: null, value: null }, failure('decode', 'empty', 'empty'), source, 5);
    expect(m.value).toBeNull();
    expect(m.key).toBeNull();
  });
});

describe('reason helpers', () => {
  it('does not split a surrogate pair when truncating', () => {
    const text = `${'a'.repeat(8)}😀😀`;
    const cut = truncateReason(text, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
    expect(truncateReason('short', 10)).toBe('short');
  });

  it('previews values briefly', () => {
    expect(preview('x'.repeat(500)).length).toBeLessThanOrEqual(64);
    expect(preview(undefined)).toBe('undefined');
    expect(preview([1, 2])).toBe('array(2)');
    expect(preview(5n)).toBe('5n');
    expect(preview({ a: 1 })).toBe('object');
  });
});
