/**
 * Stream watermark = min over active partitions of (partition max event time) − allowed lateness.
 * A partition silent for idleTimeoutMs of wall-clock time is excluded so it cannot hold windows
 * open forever; when every partition is idle the most advanced one sets the watermark. The
 * watermark never goes back (a resuming partition's old events are late, as in Flink).
 */

export interface PartitionState {
  /** Max event time seen on the partition. */
  max: number;
  /** Wall-clock time of its last event. */
  lastSeenMs: number;
}

export class WatermarkTracker {
  private readonly parts = new Map<string, PartitionState>();
  private current: number | null = null;
  /** Partition whose max is the current minimum (null: recompute on the next observation). */
  private minPartition: string | null = null;

  constructor(
    private readonly allowedLatenessMs: number,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Current stream watermark; null until the first event. */
  get watermark(): number | null {
    return this.current;
  }

  /** Folds one event time in; `nowMs` is the wall clock (the batch's arrival time). Returns the watermark. */
  observe(partition: string, eventTime: number, nowMs: number): number | null {
    const st = this.parts.get(partition);
    if (st === undefined) {
      this.parts.set(partition, { max: eventTime, lastSeenMs: nowMs });
      return this.recompute(nowMs);
    }
    const wasActive = nowMs - st.lastSeenMs < this.idleTimeoutMs;
    st.lastSeenMs = nowMs;
    if (eventTime > st.max) {
      st.max = eventTime;
      // Only the minimum partition raising its max, or a partition waking up, can move the min.
      if (partition === this.minPartition || !wasActive || this.minPartition === null) return this.recompute(nowMs);
    } else if (!wasActive) {
      return this.recompute(nowMs);
    }
    return this.current;
  }

  /**
   * Declares partitions that will deliver (e.g. the consumer's assignment) before their first
   * event: they hold the watermark back until they deliver or go idle, so a backlog consumed
   * from one partition first does not turn the other partitions' backlogs late.
   */
  expect(partition: string, nowMs: number): void {
    if (this.parts.has(partition)) return;
    this.parts.set(partition, { max: -Infinity, lastSeenMs: nowMs });
    this.minPartition = null;
  }

  /** Re-evaluates idleness at `nowMs` (start of a batch, or a timer tick). Returns the watermark. */
  refresh(nowMs: number): number | null {
    return this.parts.size === 0 ? this.current : this.recompute(nowMs);
  }

  /** Restores checkpointed state (the caller decides how downtime shifts lastSeenMs). */
  restore(watermark: number | null, partitions: Iterable<readonly [string, Readonly<PartitionState>]>): void {
    this.parts.clear();
    for (const [p, st] of partitions) this.parts.set(p, { max: st.max, lastSeenMs: st.lastSeenMs });
    this.current = watermark;
    this.minPartition = null;
  }

  /** Partition → state copy, for checkpointing (partitions without events yet are left out). */
  partitionStates(): Map<string, PartitionState> {
    return new Map([...this.parts].filter(([, st]) => st.max > -Infinity).map(([p, st]) => [p, { ...st }]));
  }

  private recompute(nowMs: number): number | null {
    let minKey: string | null = null;
    let min = Infinity;
    let maxAll = -Infinity;
    for (const [p, st] of this.parts) {
      if (st.max > maxAll) maxAll = st.max;
      if (nowMs - st.lastSeenMs < this.idleTimeoutMs && st.max < min) {
        min = st.max;
        minKey = p;
      }
    }
    this.minPartition = minKey;
    const candidate = (minKey === null ? maxAll : min) - this.allowedLatenessMs;
    if (Number.isFinite(candidate) && (this.current === null || candidate > this.current)) this.current = candidate;
    return this.current;
  }
}
