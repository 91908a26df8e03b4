import type { FailureStage, ReasonClass } from './failure.js';

/**
 * Hooks the consumer calls; a Prometheus adapter lives elsewhere. Implementations must
 * be cheap and must not throw: they run on the hot path, once per batch.
 */
export interface IngestMetrics {
  consumed(stream: string, topic: string, partition: number, count: number): void;
  valid(stream: string, count: number): void;
  invalid(stream: string, stage: FailureStage, reasonClass: ReasonClass, count: number): void;
  dlq(stream: string, dlqTopic: string, count: number): void;
  /** After a successful commit: the next offset to consume. */
  committed(topic: string, partition: number, nextOffset: string): void;
  /** Messages behind the partition's high watermark after a batch. */
  lag(topic: string, partition: number, lag: number): void;
}

export interface IngestMetricsSnapshot {
  readonly consumed: Readonly<Record<string, number>>;
  readonly valid: Readonly<Record<string, number>>;
  /** Keyed `stream|stage|reasonClass`. */
  readonly invalid: Readonly<Record<string, number>>;
  /** Keyed `stream|dlqTopic`. */
  readonly dlq: Readonly<Record<string, number>>;
  /** Keyed `topic|partition`. */
  readonly committed: Readonly<Record<string, string>>;
  readonly lag: Readonly<Record<string, number>>;
}

const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);

export class InMemoryIngestMetrics implements IngestMetrics {
  private readonly consumedBy = new Map<string, number>();
  private readonly validBy = new Map<string, number>();
  private readonly invalidBy = new Map<string, number>();
  private readonly dlqBy = new Map<string, number>();
  private readonly committedBy = new Map<string, string>();
  private readonly lagBy = new Map<string, number>();

  consumed(stream: string, _topic: string, _partition: number, count: number): void {
    add(this.consumedBy, stream, count);
  }
  valid(stream: string, count: number): void {
    add(this.validBy, stream, count);
  }
  invalid(stream: string, stage: FailureStage, reasonClass: ReasonClass, count: number): void {
    add(this.invalidBy, `${stream}|${stage}|${reasonClass}`, count);
  }
  dlq(stream: string, dlqTopic: string, count: number): void {
    add(this.dlqBy, `${stream}|${dlqTopic}`, count);
  }
  committed(topic: string, partition: number, nextOffset: string): void {
    this.committedBy.set(`${topic}|${partition}`, nextOffset);
  }
  lag(topic: string, partition: number, lag: number): void {
    this.lagBy.set(`${topic}|${partition}`, lag);
  }

  snapshot(): IngestMetricsSnapshot {
    return {
      consumed: Object.fromEntries(this.consumedBy),
      valid: Object.fromEntries(this.validBy),
      invalid: Object.fromEntries(this.invalidBy),
      dlq: Object.fromEntries(this.dlqBy),
      committed: Object.fromEntries(this.committedBy),
      lag: Object.fromEntries(this.lagBy),
    };
  }

  /** Sum over every key of one counter, e.g. total invalid messages. */
  total(counter: 'consumed' | 'valid' | 'invalid' | 'dlq'): number {
    const m = { consumed: this.consumedBy, valid: this.validBy, invalid: this.invalidBy, dlq: this.dlqBy }[counter];
    let sum = 0;
    for (const v of m.values()) sum += v;
    return sum;
  }
}

export const noopIngestMetrics: IngestMetrics = {
  consumed() {},
  valid() {},
  invalid() {},
  dlq() {},
  committed() {},
  lag() {},
};
