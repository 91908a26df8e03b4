import { describe, expect, it } from 'vitest';
import { InMemoryIngestMetrics, noopIngestMetrics } from '../../src/ingest/metrics.js';

describe('in-memory ingest metrics', () => {
  it('accumulates counters and keeps the latest committed offset and lag', () => {
    const m = new InMemoryIngestMetrics();
    m.consumed('pay', 'tx', 0, 10);
    m.consumed('pay', 'tx', 1, 5);
    m.valid('pay', 12);
    m.invalid('pay', 'decode', 'invalid-utf8', 2);
    m.invalid('pay', 'decode', 'invalid-utf8', 1);
    m.dlq('pay', 'tx.dlq', 3);
    m.committed('tx', 0, '10');
    m.committed('tx', 0, '20');
    m.lag('tx', 0, 7);
    expect(m.snapshot()).toEqual({
      consumed: { pay: 15 },
      valid: { pay: 12 },
      invalid: { 'pay|decode|invalid-utf8': 3 },
      dlq: { 'pay|tx.dlq': 3 },
      committed: { 'tx|0': '20' },
      lag: { 'tx|0': 7 },
    });
    expect(m.total('consumed')).toBe(m.total('valid') + m.total('invalid'));
  });

  it('has a no-op implementation', () => {
    expect(() => noopIngestMetrics.consumed('a', 'b', 0, 1)).not.toThrow();
  });
});
