/**
 * The window engine of one stream: pure, in memory, no I/O. Events are aggregated once per
 * pane (gcd(size, slide) wide); a window is the merge of its panes when the watermark reaches
 * its end. An event is late for every window that had already closed when it arrived: it is
 * reported for those and still counted in its windows that are open. The watermark advances
 * per event, so results do not depend on how a partition's events are cut into batches.
 */
import { addValue, mergeInto, newAccumulator, type Accumulator } from './aggregate.js';
import { addKeyed, mergeKeyedInto, type KeyedAccumulator } from './keyed.js';
import type { EngineEvent, KeyedAggregateSpec, LateAssignment, StreamSpec } from './types.js';
import { WatermarkTracker, type PartitionState } from './watermark.js';
import { checkWindowSpec, firstWindowStart, lastWindowStart, paneWidth, type WindowRange } from './windows.js';

interface Pane {
  events: number;
  readonly acc: Accumulator[];
  readonly keyed: KeyedAccumulator[];
}

/** A window the watermark has passed, before quantiles are added by the store. */
export interface WindowAggregates {
  readonly start: number;
  readonly end: number;
  readonly eventCount: number;
  /** Aligned with StreamSpec.features. */
  readonly accumulators: readonly Accumulator[];
  /** Aligned with StreamSpec.keyedAggregates. */
  readonly keyed: readonly KeyedAccumulator[];
}

export interface ProcessResult {
  /** Stream watermark at each event's arrival (null before the first event); stored with the event. */
  readonly arrivalWatermarks: (number | null)[];
  readonly late: LateAssignment[];
  /** Windows closed while processing, ascending by (end, start). */
  readonly closed: WindowAggregates[];
}

export interface EngineSnapshot {
  readonly watermark: number | null;
  /** Partition id → max event time and wall-clock time of its last event. */
  readonly partitions: ReadonlyMap<string, Readonly<PartitionState>>;
}

export class WindowEngine {
  readonly spec: StreamSpec;
  private readonly size: number;
  private readonly slide: number;
  private readonly pane: number;
  private readonly keyedSpecs: readonly KeyedAggregateSpec[];
  private readonly tracker: WatermarkTracker;
  private readonly panes = new Map<number, Pane>();
  /** End of the earliest window that has data and is still open (Infinity: none). */
  private nextCloseEnd = Infinity;
  /** Watermark up to which windows have been closed. */
  private closedThrough: number | null = null;

  constructor(spec: StreamSpec) {
    checkWindowSpec(spec.windows, `streams.${spec.name}.windows`);
    this.spec = spec;
    this.size = spec.windows.sizeMs;
    this.slide = spec.windows.slideMs;
    this.pane = paneWidth(this.size, this.slide);
    this.keyedSpecs = spec.keyedAggregates ?? [];
    this.tracker = new WatermarkTracker(spec.windows.allowedLatenessMs, spec.windows.idleTimeoutMs);
  }

  get watermark(): number | null {
    return this.tracker.watermark;
  }

  /** Processes events in order at wall-clock time `nowMs`. */
  process(events: readonly EngineEvent[], nowMs: number): ProcessResult {
    const closed: WindowAggregates[] = [];
    const late: LateAssignment[] = [];
    const arrivalWatermarks: (number | null)[] = new Array(events.length);
    this.closeThrough(this.tracker.refresh(nowMs), closed);
    for (let i = 0; i < events.length; i++) {
      const ev = events[i] as EngineEvent;
      const w = this.tracker.watermark;
      arrivalWatermarks[i] = w;
      this.assign(ev, i, w, late);
      const next = this.tracker.observe(ev.partition, ev.eventTime, nowMs);
      if (next !== null && next >= this.nextCloseEnd) this.closeThrough(next, closed);
      else this.closedThrough = next;
    }
    return { arrivalWatermarks, late, closed };
  }

  /** Partitions expected to deliver (see WatermarkTracker.expect). */
  expectPartitions(partitions: readonly string[], nowMs: number): void {
    for (const p of partitions) this.tracker.expect(p, nowMs);
  }

  /** Re-evaluates idle partitions without new events (timer tick); returns windows that closed. */
  advance(nowMs: number): WindowAggregates[] {
    const closed: WindowAggregates[] = [];
    this.closeThrough(this.tracker.refresh(nowMs), closed);
    return closed;
  }

  snapshot(): EngineSnapshot {
    return { watermark: this.tracker.watermark, partitions: this.tracker.partitionStates() };
  }

  /** Resets to a checkpoint; follow with `replay` for every stored event of the open windows. */
  restore(snapshot: EngineSnapshot): void {
    this.panes.clear();
    this.nextCloseEnd = Infinity;
    this.tracker.restore(snapshot.watermark, snapshot.partitions);
    this.closedThrough = snapshot.watermark;
  }

  /** Re-adds a stored event to its open windows (no lateness, no watermark change). */
  replay(ev: EngineEvent): void {
    const w = this.tracker.watermark;
    if (w !== null && lastWindowStart(ev.eventTime, this.slide) + this.size <= w) return;
    this.addToPane(ev);
  }

  /** Earliest event time an open window can hold: replay stored events from here after a restart. */
  openFrom(): number | null {
    const w = this.tracker.watermark;
    return w === null ? null : firstWindowStart(w, this.size, this.slide);
  }

  /** Windows that hold data and have not closed, ascending. */
  openWindows(): WindowRange[] {
    const starts = this.windowStartsWithData(this.closedThrough, Infinity);
    return starts.map((s) => [s, s + this.size]);
  }

  private assign(ev: EngineEvent, index: number, w: number | null, late: LateAssignment[]): void {
    const t = ev.eventTime;
    if (w !== null) {
      for (let s = firstWindowStart(t, this.size, this.slide); s <= t && s + this.size <= w; s += this.slide) {
        late.push({ index, windowStart: s, windowEnd: s + this.size, watermark: w });
      }
      if (lastWindowStart(t, this.slide) + this.size <= w) return;
    }
    this.addToPane(ev);
  }

  private addToPane(ev: EngineEvent): void {
    const start = Math.floor(ev.eventTime / this.pane) * this.pane;
    let p = this.panes.get(start);
    if (p === undefined) {
      p = {
        events: 0,
        acc: this.spec.features.map((f) => newAccumulator(f)),
        keyed: this.keyedSpecs.map(() => new Map()),
      };
      this.panes.set(start, p);
      const end = this.earliestOpenEnd(start, this.tracker.watermark);
      if (end < this.nextCloseEnd) this.nextCloseEnd = end;
    }
    p.events++;
    const features = this.spec.features;
    for (let f = 0; f < features.length; f++) addValue(p.acc[f] as Accumulator, ev.values[f] ?? null, features[f]!);
    for (let k = 0; k < p.keyed.length; k++) addKeyed(p.keyed[k] as KeyedAccumulator, ev.keys[k] ?? null, ev.keyedValues[k] ?? null);
  }

  /** End of the earliest window containing the pane that is still open at watermark w. */
  private earliestOpenEnd(paneStart: number, w: number | null): number {
    let s = firstWindowStart(paneStart, this.size, this.slide);
    if (w !== null) s = Math.max(s, firstWindowStart(w, this.size, this.slide));
    return s + this.size;
  }

  /** Starts of windows with data whose end is in (after, upTo], ascending. */
  private windowStartsWithData(after: number | null, upTo: number): number[] {
    const starts = new Set<number>();
    const sMin = after === null ? -Infinity : firstWindowStart(after, this.size, this.slide);
    for (const paneStart of this.panes.keys()) {
      for (let s = Math.max(firstWindowStart(paneStart, this.size, this.slide), sMin); s <= paneStart && s + this.size <= upTo; s += this.slide) {
        starts.add(s);
      }
    }
    return [...starts].sort((a, b) => a - b);
  }

  private closeThrough(w: number | null, out: WindowAggregates[]): void {
    if (w === null || w < this.nextCloseEnd) {
      this.closedThrough = w;
      return;
    }
    const paneStarts = [...this.panes.keys()].sort((a, b) => a - b);
    let first = 0;
    for (const s of this.windowStartsWithData(this.closedThrough, w)) {
      const end = s + this.size;
      while (first < paneStarts.length && (paneStarts[first] as number) < s) first++;
      const acc = this.spec.features.map((f) => newAccumulator(f));
      const keyed: KeyedAccumulator[] = this.keyedSpecs.map(() => new Map());
      let events = 0;
      for (let i = first; i < paneStarts.length && (paneStarts[i] as number) < end; i++) {
        const p = this.panes.get(paneStarts[i] as number) as Pane;
        events += p.events;
        for (let f = 0; f < acc.length; f++) mergeInto(acc[f] as Accumulator, p.acc[f] as Accumulator);
        for (let k = 0; k < keyed.length; k++) mergeKeyedInto(keyed[k] as KeyedAccumulator, p.keyed[k] as KeyedAccumulator);
      }
      out.push({ start: s, end, eventCount: events, accumulators: acc, keyed });
    }
    this.nextCloseEnd = Infinity;
    for (const start of paneStarts) {
      if (lastWindowStart(start, this.slide) + this.size <= w) {
        this.panes.delete(start);
      } else {
        const end = this.earliestOpenEnd(start, w);
        if (end < this.nextCloseEnd) this.nextCloseEnd = end;
      }
    }
    this.closedThrough = w;
  }
}
