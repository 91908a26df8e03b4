/**
 * Two thin decorators the pipeline puts around the ingest: one notes when the sink last got
 * a batch (for `--until-idle`), one copies the ingest counters into memory so the pipeline can
 * report them without scraping its own /metrics.
 */
import type { IngestMetrics } from '../ingest/metrics.js';
import type { EventSink, PartitionBatch } from '../ingest/types.js';

export class ActivitySink implements EventSink {
  private last: number;
  private batchCount = 0;
  private eventCount = 0;

  constructor(
    private readonly inner: EventSink,
    private readonly clock: () => number = Date.now,
  ) {
    this.last = clock();
  }

  /** Wall-clock time of the last batch (or of creation / the last `touch`). */
  get lastActivity(): number {
    return this.last;
  }

  get batches(): number {
    return this.batchCount;
  }

  /** Valid events handed to the sink (replays included). */
  get events(): number {
    return this.eventCount;
  }

  /** Counts as activity, e.g. when the consumer (re)joins its group. */
  touch(): void {
    this.last = this.clock();
  }

  async write(batch: PartitionBatch): Promise<void> {
    // A batch of only invalid messages is activity too: the DLQ is part of the work.
    this.last = this.clock();
    await this.inner.write(batch);
    this.batchCount += 1;
    this.eventCount += batch.events.length;
    this.last = this.clock();
  }

  storedOffsets(topic: string): Promise<ReadonlyMap<number, string>> {
    return this.inner.storedOffsets(topic);
  }
}

/** Totals of the ingest counters over every stream. */
export interface IngestTotals {
  consumed: number;
  valid: number;
  invalid: number;
  dlq: number;
}

/** Calls every target; keeps totals. */
export function teeIngestMetrics(targets: readonly IngestMetrics[]): { metrics: IngestMetrics; totals: Readonly<IngestTotals> } {
  const totals: IngestTotals = { consumed: 0, valid: 0, invalid: 0, dlq: 0 };
  const metrics: IngestMetrics = {
    consumed(stream, topic, partition, count) {
      totals.consumed += count;
      for (const t of targets) t.consumed(stream, topic, partition, count);
    },
    valid(stream, count) {
      totals.valid += count;
      for (const t of targets) t.valid(stream, count);
    },
    invalid(stream, stage, reasonClass, count) {
      totals.invalid += count;
      for (const t of targets) t.invalid(stream, stage, reasonClass, count);
    },
    dlq(stream, dlqTopic, count) {
      totals.dlq += count;
      for (const t of targets) t.dlq(stream, dlqTopic, count);
    },
    committed(topic, partition, nextOffset) {
      for (const t of targets) t.committed(topic, partition, nextOffset);
    },
    lag(topic, partition, lag) {
      for (const t of targets) t.lag(topic, partition, lag);
    },
  };
  return { metrics, totals };
}
