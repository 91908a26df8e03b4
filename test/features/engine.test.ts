import { describe, expect, it } from 'vitest';
import { finalizeStats } from '../../src/features/aggregate.js';
import { WindowEngine, type WindowAggregates } from '../../src/features/engine.js';
import type { EngineEvent, LateAssignment, StreamSpec, WindowSpec } from '../../src/features/types.js';
import { windowRanges } from '../../src/features/windows.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const spec = (windows: WindowSpec): StreamSpec => ({
  name: 'tx',
  windows,
  features: [
    { name: 'x', kind: 'numeric', psiEdges: [0.25, 0.5, 0.75] },
    { name: 'c', kind: 'categorical' },
  ],
  keyedAggregates: [{ name: 'sum_x_by_k', key: 'k', feature: 'x', agg: 'sum' }],
});

const ev = (partition: string, eventTime: number, x: number | null = 1, c: string | null = 'a', k: string | null = 'k1'): EngineEvent => ({
  partition,
  eventTime,
  values: [x, c],
  keys: [k],
  keyedValues: [x],
});

/** Summary that is exact under any merge order (integers) or rounded. */
function summary(w: { start: number; end: number; eventCount: number; events?: EngineEvent[] } & Partial<WindowAggregates>, s: StreamSpec) {
  const x = finalizeStats('x', w.accumulators![0]!);
  const c = finalizeStats('c', w.accumulators![1]!);
  if (x.kind !== 'numeric' || c.kind !== 'categorical') throw new Error('kinds');
  return {
    start: w.start,
    end: w.end,
    n: w.eventCount,
    count: x.count,
    nulls: x.nullCount,
    sum: Math.round(x.sum * 1e6) / 1e6,
    min: x.min,
    max: x.max,
    bins: x.psiBinCounts,
    cats: [...c.categories],
    keys: [...w.keyed![0]!].map(([k, st]) => [k, st.events]).sort(),
    spec: s.name,
  };
}

/** Brute-force model: every window keeps its event list; the watermark is recomputed from scratch. */
class Oracle {
  readonly windows = new Map<number, EngineEvent[]>();
  readonly parts = new Map<string, { max: number; seen: number }>();
  wm: number | null = null;
  constructor(private readonly w: WindowSpec) {}
  private recompute(now: number): void {
    const all = [...this.parts.values()];
    if (all.length === 0) return;
    const active = all.filter((p) => now - p.seen < this.w.idleTimeoutMs);
    const cand = (active.length ? Math.min(...active.map((p) => p.max)) : Math.max(...all.map((p) => p.max))) - this.w.allowedLatenessMs;
    if (this.wm === null || cand > this.wm) this.wm = cand;
  }
  private close(out: { start: number; end: number; events: EngineEvent[] }[]): void {
    for (const s of [...this.windows.keys()].sort((a, b) => a - b)) {
      if (this.wm !== null && s + this.w.sizeMs <= this.wm) {
        out.push({ start: s, end: s + this.w.sizeMs, events: this.windows.get(s)! });
        this.windows.delete(s);
      }
    }
  }
  process(events: EngineEvent[], now: number) {
    const closed: { start: number; end: number; events: EngineEvent[] }[] = [];
    const late: LateAssignment[] = [];
    const arrival: (number | null)[] = [];
    this.recompute(now);
    this.close(closed);
    events.forEach((e, i) => {
      arrival.push(this.wm);
      for (const [s, end] of windowRanges(e.eventTime, this.w.sizeMs, this.w.slideMs)) {
        if (this.wm !== null && end <= this.wm) late.push({ index: i, windowStart: s, windowEnd: end, watermark: this.wm });
        else this.windows.set(s, [...(this.windows.get(s) ?? []), e]);
      }
      const p = this.parts.get(e.partition);
      if (p) {
        p.max = Math.max(p.max, e.eventTime);
        p.seen = now;
      } else this.parts.set(e.partition, { max: e.eventTime, seen: now });
      this.recompute(now);
      this.close(closed);
    });
    return { closed, late, arrival };
  }
}

function oracleSummary(w: { start: number; end: number; events: EngineEvent[] }) {
  const xs = w.events.map((e) => e.values[0] as number | null);
  const fin = xs.filter((x): x is number => x !== null);
  const cats = new Map<string, number>();
  for (const e of w.events) if (e.values[1] !== null) cats.set(e.values[1] as string, (cats.get(e.values[1] as string) ?? 0) + 1);
  const keys = new Map<string, number>();
  for (const e of w.events) if (e.keys[0] !== null) keys.set(e.keys[0]!, (keys.get(e.keys[0]!) ?? 0) + 1);
  return {
    start: w.start,
    end: w.end,
    n: w.events.length,
    count: xs.length,
    nulls: xs.length - fin.length,
    sum: Math.round(fin.reduce((a, b) => a + b, 0) * 1e6) / 1e6,
    min: fin.length ? Math.min(...fin) : null,
    max: fin.length ? Math.max(...fin) : null,
    bins: [0, 1, 2, 3].map((b) => fin.filter((x) => [0.25, 0.5, 0.75].filter((e) => e <= x).length === b).length),
    cats: [...cats].sort(([a], [b]) => (a < b ? -1 : 1)),
    keys: [...keys].sort(),
    spec: 'tx',
  };
}

function randomBatches(seed: number, n: number) {
  const r = rng(seed);
  const heads = [1_000, 1_000, 1_000];
  const batches: { events: EngineEvent[]; now: number }[] = [];
  let now = 0;
  let i = 0;
  while (i < n) {
    const p = Math.floor(r() * 3);
    // partition 2 goes quiet for a while in the middle
    if (p === 2 && i > n / 3 && i < (2 * n) / 3) continue;
    const events: EngineEvent[] = [];
    const len = 1 + Math.floor(r() * 8);
    for (let j = 0; j < len && i < n; j++, i++) {
      heads[p]! += Math.floor(r() * 30) * (p + 1);
      const jitter = r() < 0.15 ? -Math.floor(r() * 200) : 0; // out-of-order and late events
      const x = r() < 0.1 ? null : Math.round(r() * 1000) / 1000;
      events.push(ev(`t:${p}`, heads[p]! + jitter, x, r() < 0.1 ? null : `c${Math.floor(r() * 4)}`, r() < 0.1 ? null : `k${Math.floor(r() * 5)}`));
    }
    now += Math.floor(r() * 40);
    batches.push({ events, now });
  }
  return batches;
}

describe('WindowEngine', () => {
  it('tumbling: closes a window when the watermark reaches its end, with exact aggregates', () => {
    const s = spec({ sizeMs: 100, slideMs: 100, allowedLatenessMs: 0, idleTimeoutMs: Infinity });
    const e = new WindowEngine(s);
    const r1 = e.process([ev('t:0', 10, 1), ev('t:0', 50, 3), ev('t:0', 99, null)], 0);
    expect(r1.closed).toEqual([]);
    expect(r1.arrivalWatermarks).toEqual([null, 10, 50]);
    expect(e.openWindows()).toEqual([[0, 100]]);
    const r2 = e.process([ev('t:0', 100, 5)], 0);
    expect(r2.closed.map((w) => summary(w, s))).toEqual([
      { start: 0, end: 100, n: 3, count: 3, nulls: 1, sum: 4, min: 1, max: 3, bins: [0, 0, 0, 2], cats: [['a', 3]], keys: [['k1', 3]], spec: 'tx' },
    ]);
    // a late event for [0,100) is reported, not dropped, and not counted in any open window
    const r3 = e.process([ev('t:0', 42, 7)], 0);
    expect(r3.late).toEqual([{ index: 0, windowStart: 0, windowEnd: 100, watermark: 100 }]);
    expect(e.openWindows()).toEqual([[100, 200]]);
  });

  it('allowed lateness keeps a window open', () => {
    const e = new WindowEngine(spec({ sizeMs: 100, slideMs: 100, allowedLatenessMs: 30, idleTimeoutMs: Infinity }));
    e.process([ev('t:0', 10), ev('t:0', 120)], 0);
    const r = e.process([ev('t:0', 20)], 0); // watermark 90: [0,100) still open
    expect(r.late).toEqual([]);
    const r2 = e.process([ev('t:0', 130)], 0);
    expect(r2.closed.map((w) => [w.start, w.eventCount])).toEqual([[0, 2]]);
  });

  it('hopping: an event late for one window still counts in its open windows', () => {
    const e = new WindowEngine(spec({ sizeMs: 30, slideMs: 10, allowedLatenessMs: 0, idleTimeoutMs: Infinity }));
    const r = e.process([ev('t:0', 5), ev('t:0', 31), ev('t:0', 25)], 0);
    // at 31: the windows holding 5 that end by 31 close. 25 is late for [0,30) but counts in [10,40) and [20,50).
    expect(r.closed.map((w) => [w.start, w.end, w.eventCount])).toEqual([
      [-20, 10, 1],
      [-10, 20, 1],
      [0, 30, 1],
    ]);
    expect(r.late).toEqual([{ index: 2, windowStart: 0, windowEnd: 30, watermark: 31 }]);
    const r2 = e.process([ev('t:0', 100)], 0);
    expect(r2.closed.map((w) => [w.start, w.end, w.eventCount])).toEqual([
      [10, 40, 2],
      [20, 50, 2],
      [30, 60, 1],
    ]);
  });

  it('an idle partition stops holding windows open; tick closes them', () => {
    const e = new WindowEngine(spec({ sizeMs: 100, slideMs: 100, allowedLatenessMs: 0, idleTimeoutMs: 1_000 }));
    e.process([ev('t:1', 5)], 0);
    const r = e.process([ev('t:0', 10), ev('t:0', 250)], 500);
    expect(r.closed).toEqual([]); // t:1 (5) holds the watermark
    expect(e.advance(999)).toEqual([]);
    const closed = e.advance(1_000);
    expect(closed.map((w) => [w.start, w.eventCount])).toEqual([[0, 2]]);
    expect(e.watermark).toBe(250);
  });

  for (const [name, w] of [
    ['tumbling', { sizeMs: 100, slideMs: 100, allowedLatenessMs: 0, idleTimeoutMs: 150 }],
    ['tumbling + lateness', { sizeMs: 100, slideMs: 100, allowedLatenessMs: 40, idleTimeoutMs: 150 }],
    ['hopping', { sizeMs: 120, slideMs: 40, allowedLatenessMs: 10, idleTimeoutMs: 150 }],
    ['hopping, size not a multiple of slide', { sizeMs: 70, slideMs: 20, allowedLatenessMs: 0, idleTimeoutMs: 200 }],
  ] as const) {
    it(`matches a brute-force model on random multi-partition input (${name})`, () => {
      for (const seed of [1, 2, 3]) {
        const s = spec(w);
        const engine = new WindowEngine(s);
        const oracle = new Oracle(w);
        let closedCount = 0;
        let lateCount = 0;
        for (const b of randomBatches(seed, 1_500)) {
          const got = engine.process(b.events, b.now);
          const want = oracle.process(b.events, b.now);
          expect(got.arrivalWatermarks).toEqual(want.arrival);
          expect(got.late).toEqual(want.late);
          expect(got.closed.map((x) => summary(x, s))).toEqual(want.closed.map(oracleSummary));
          closedCount += got.closed.length;
          lateCount += got.late.length;
        }
        expect(closedCount).toBeGreaterThan(20);
        expect(lateCount).toBeGreaterThan(5);
      }
    });
  }

  it('snapshot + replay of stored events rebuilds open windows exactly', () => {
    const w: WindowSpec = { sizeMs: 120, slideMs: 40, allowedLatenessMs: 10, idleTimeoutMs: 150 };
    const s = spec(w);
    const batches = randomBatches(9, 1_200);
    const straight = new WindowEngine(s);
    const want = batches.map((b) => straight.process(b.events, b.now));
    for (const cut of [1, 17, 60, 111]) {
      const first = new WindowEngine(s);
      const stored: EngineEvent[] = [];
      for (const b of batches.slice(0, cut)) {
        first.process(b.events, b.now);
        stored.push(...b.events);
      }
      const restored = new WindowEngine(s);
      restored.restore(first.snapshot());
      const from = restored.openFrom();
      for (const e of stored) if (from === null || e.eventTime >= from) restored.replay(e);
      expect(restored.openWindows()).toEqual(first.openWindows());
      batches.slice(cut).forEach((b, i) => {
        const got = restored.process(b.events, b.now);
        const ref = want[cut + i]!;
        expect(got.late).toEqual(ref.late);
        expect(got.closed.map((x) => summary(x, s))).toEqual(ref.closed.map((x) => summary(x, s)));
      });
    }
  });
});
