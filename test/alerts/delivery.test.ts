import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../src/alerts/backoff.js';
import { DeliveryWorker } from '../../src/alerts/delivery.js';
import { Redactor } from '../../src/alerts/redact.js';
import type { OutboxTarget } from '../../src/alerts/delivery.js';
import { AlertStore } from '../../src/alerts/store.js';
import type { OutboxRow } from '../../src/alerts/store.js';
import { NotifyError } from '../../src/errors.js';
import { memoryLogger, openDb, tempPath, until } from './helpers.js';
import type { Db } from './helpers.js';

describe('backoff', () => {
  it('doubles from the initial delay and is capped; Retry-After wins when longer', () => {
    const o = { initialMs: 100, maxMs: 1000, factor: 2 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, o))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1, o, 3000)).toBe(3000);
    expect(backoffDelay(4, o, 50)).toBe(800);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

class Target implements OutboxTarget {
  readonly attempts: Array<{ id: string; at: number }> = [];
  readonly delivered: string[] = [];
  constructor(
    readonly name: string,
    private readonly behave: (row: OutboxRow, n: number) => 'ok' | NotifyError,
  ) {}
  async deliver(row: OutboxRow): Promise<void> {
    this.attempts.push({ id: row.id, at: Date.now() });
    const r = this.behave(row, this.attempts.filter((a) => a.id === row.id).length);
    if (r !== 'ok') throw r;
    this.delivered.push(row.id);
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(targets: OutboxTarget[], backoff = { initialMs: 20, maxMs: 80, factor: 2 }) {
  const db: Db = await openDb(tempPath('d.duckdb'));
  const store = await AlertStore.open(db.conn);
  const logger = memoryLogger();
  const worker = new DeliveryWorker({ store, targets, backoff, logger });
  cleanups.push(() => db.close());
  cleanups.push(() => worker.stop());
  return { db, store, worker, logger };
}

const rows = (channel: string, ids: string[]) => ids.map((id) => ({ id, channel, kind: 'alert' as const, payload: { id } }));

describe('DeliveryWorker', () => {
  it('a channel that is down delays no other; its retries back off up to the cap', async () => {
    const down = new Target('down', () => new NotifyError('down: HTTP 503', { retryable: true }));
    const up = new Target('up', () => 'ok');
    const { store, worker } = await setup([down, up]);
    await store.enqueue([...rows('down', ['d1']), ...rows('up', ['u1', 'u2', 'u3'])], Date.now());
    await worker.start();
    await until(() => up.delivered.length === 3, 3_000, 'up channel');
    expect(up.delivered).toEqual(['u1', 'u2', 'u3']); // FIFO
    await until(() => down.attempts.length >= 7, 5_000, 'retries');
    const gaps = down.attempts.slice(1).map((a, i) => a.at - down.attempts[i]!.at);
    // 20, 40, 80, 80, 80, 80 ms (plus scheduling slack): growing, then capped.
    expect(gaps[0]!).toBeGreaterThanOrEqual(15);
    expect(gaps[1]!).toBeGreaterThanOrEqual(35);
    for (const g of gaps.slice(2)) {
      expect(g).toBeGreaterThanOrEqual(75);
      expect(g).toBeLessThan(400);
    }
    const [row] = await store.unsent('down');
    expect(row!.attempts).toBeGreaterThanOrEqual(7);
    expect(row!.lastError).toBe('down: HTTP 503');
  });

  it('a refused row (not retryable) is set aside and the queue moves on', async () => {
    const t = new Target('ch', (row) => (row.id === 'bad' ? new NotifyError('ch: HTTP 400 invalid_blocks', { retryable: false }) : 'ok'));
    const { store, worker, logger, db } = await setup([t]);
    await store.enqueue(rows('ch', ['a', 'bad', 'c']), Date.now());
    await worker.start();
    await worker.idle();
    expect(t.delivered).toEqual(['a', 'c']);
    expect(t.attempts.filter((a) => a.id === 'bad')).toHaveLength(1);
    const bad = (await db.conn.runAndReadAll("SELECT dead_at, sent_at, last_error FROM outbox WHERE id = 'bad'")).getRowObjectsJS()[0]!;
    expect(bad.dead_at).not.toBeNull();
    expect(bad.sent_at).toBeNull();
    expect(bad.last_error).toBe('ch: HTTP 400 invalid_blocks');
    expect(logger.lines.some((l) => l.level === 'error' && l.msg.includes('giving up'))).toBe(true);
  });

  it('redacts errors before storing and logging them', async () => {
    const url = 'https://hooks.example.test/services/T1/B1/verysecrettoken';
    const t = new Target('ch', (_row, n) => (n === 1 ? new Error(`connect to ${url} refused`) as NotifyError : 'ok'));
    const db: Db = await openDb(tempPath('r.duckdb'));
    cleanups.push(() => db.close());
    const store = await AlertStore.open(db.conn);
    const logger = memoryLogger();
    const worker = new DeliveryWorker({ store, targets: [t], backoff: { initialMs: 10, maxMs: 10, factor: 1 }, logger, redactor: new Redactor([url]) });
    cleanups.push(() => worker.stop());
    await store.enqueue(rows('ch', ['a']), Date.now());
    await worker.start();
    await worker.idle();
    expect(t.delivered).toEqual(['a']);
    expect(JSON.stringify(logger.lines)).not.toContain('verysecrettoken');
    expect(JSON.stringify(logger.lines)).toContain('connect to [REDACTED] refused');
  });

  it('warns about unsent rows of channels that are no longer configured', async () => {
    const { store, worker, logger } = await setup([new Target('ch', () => 'ok')]);
    await store.enqueue(rows('gone', ['x']), Date.now());
    await worker.start();
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', obj: { channel: 'gone', count: 1 } }));
  });
});
