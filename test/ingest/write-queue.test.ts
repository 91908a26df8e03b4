import { describe, expect, it } from 'vitest';
import { PartitionWriteQueue } from '../../src/ingest/write-queue.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PartitionWriteQueue', () => {
  it('runs one partition’s writes in order and partitions in parallel', async () => {
    const q = new PartitionWriteQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    q.enqueue('a', job('a1', 30));
    q.enqueue('a', job('a2', 1));
    q.enqueue('b', job('b1', 1));
    expect(q.inFlight('a')).toBe(2);
    await q.drain();
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    expect(q.inFlight('a')).toBe(0);
  });

  it('keeps going after a failed job (jobs report their own errors)', async () => {
    const q = new PartitionWriteQueue();
    let ran = false;
    q.enqueue('a', async () => {
      throw new Error('disk full');
    });
    q.enqueue('a', async () => {
      ran = true;
    });
    await q.drain();
    expect(ran).toBe(true);
  });

  it('whenBelow waits until enough writes finished', async () => {
    const q = new PartitionWriteQueue();
    for (let i = 0; i < 3; i++) q.enqueue('a', async () => void (await tick(20)));
    const t0 = Date.now();
    await q.whenBelow('a', 2);
    expect(q.inFlight('a')).toBeLessThan(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(30);
    await q.whenBelow('nothing-queued', 1);
  });

  it('drain also waits for writes queued while draining', async () => {
    const q = new PartitionWriteQueue();
    let second = false;
    q.enqueue('a', async () => {
      await tick(10);
      q.enqueue('b', async () => {
        await tick(10);
        second = true;
      });
    });
    await q.drain();
    expect(second).toBe(true);
  });
});
