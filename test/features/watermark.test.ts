import { describe, expect, it } from 'vitest';
import { WatermarkTracker } from '../../src/features/watermark.js';

describe('WatermarkTracker', () => {
  it('is null before any event, then the min over partitions minus lateness', () => {
    const t = new WatermarkTracker(5, Infinity);
    expect(t.watermark).toBeNull();
    expect(t.observe('p0', 100, 0)).toBe(95);
    expect(t.observe('p1', 40, 0)).toBe(95); // never goes back
    expect(t.observe('p0', 200, 0)).toBe(95); // p1 (40) holds it
    expect(t.observe('p1', 150, 0)).toBe(145);
    expect(t.observe('p1', 300, 0)).toBe(195); // now p0 (200) is the min
  });

  it('out-of-order events within a partition do not lower its max', () => {
    const t = new WatermarkTracker(0, Infinity);
    t.observe('p0', 100, 0);
    expect(t.observe('p0', 50, 0)).toBe(100);
  });

  it('excludes a partition idle for idleTimeoutMs of wall clock, and it rejoins when it speaks', () => {
    const t = new WatermarkTracker(0, 1_000);
    t.observe('p0', 10, 0);
    t.observe('p1', 500, 0);
    expect(t.watermark).toBe(10);
    t.observe('p1', 600, 999);
    expect(t.refresh(999)).toBe(10); // p0 silent for 999 ms: still active
    expect(t.refresh(1_000)).toBe(600); // p0 idle: p1 alone sets the watermark
    expect(t.observe('p1', 700, 1_200)).toBe(700);
    // p0 wakes up with an old event: the watermark does not go back
    expect(t.observe('p0', 20, 1_300)).toBe(700);
    // now p0 is active again and holds the watermark until it catches up
    expect(t.observe('p1', 900, 1_300)).toBe(700);
    expect(t.observe('p0', 800, 1_300)).toBe(800);
  });

  it('when every partition is idle the most advanced one sets it', () => {
    const t = new WatermarkTracker(0, 100);
    t.observe('p0', 10, 0);
    t.observe('p1', 50, 0);
    expect(t.refresh(50)).toBe(10);
    expect(t.refresh(100)).toBe(50);
  });

  it('restores from a checkpoint', () => {
    const t = new WatermarkTracker(0, 100);
    t.restore(40, [
      ['p0', { max: 40, lastSeenMs: 1_000 }],
      ['p1', { max: 90, lastSeenMs: 1_020 }],
    ]);
    expect(t.watermark).toBe(40);
    expect(t.refresh(1_050)).toBe(40);
    expect(t.refresh(1_100)).toBe(90);
    expect([...t.partitionStates()]).toEqual([
      ['p0', { max: 40, lastSeenMs: 1_000 }],
      ['p1', { max: 90, lastSeenMs: 1_020 }],
    ]);
  });
});

describe('expected partitions', () => {
  it('an assigned partition without events holds the watermark until it delivers or goes idle', () => {
    const t = new WatermarkTracker(0, 1_000);
    t.expect('p1', 0);
    expect(t.observe('p0', 500, 0)).toBeNull();
    expect(t.observe('p1', 100, 10)).toBe(100);
    const u = new WatermarkTracker(0, 1_000);
    u.expect('p1', 0);
    u.observe('p0', 500, 0);
    expect(u.refresh(999)).toBeNull();
    expect(u.refresh(1_000)).toBe(500);
    expect([...u.partitionStates().keys()]).toEqual(['p0']);
  });
});
