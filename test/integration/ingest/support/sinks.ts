import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { EventSink, IngestedEvent, PartitionBatch } from '../../../../src/ingest/types.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface MemorySinkOptions {
  /** Each write takes this long (a slow store). */
  readonly delayMs?: number;
  /** The first N writes throw (a failing store). */
  readonly failFirst?: number;
  /** Report stored offsets (true: crash-safe store; false: rely on Kafka commits). */
  readonly storesOffsets?: boolean;
}

/** Keeps batches in memory; counts writes; optionally slow, failing, or offset-keeping. */
export class MemorySink implements EventSink {
  readonly batches: PartitionBatch[] = [];
  readonly offsets = new Map<string, Map<number, string>>();
  writes = 0;
  failures = 0;
  private concurrent = 0;
  maxConcurrentPerPartition = 0;
  private readonly active = new Map<string, number>();

  constructor(private readonly options: MemorySinkOptions = {}) {}

  async write(batch: PartitionBatch): Promise<void> {
    const key = `${batch.topic}|${batch.partition}`;
    this.active.set(key, (this.active.get(key) ?? 0) + 1);
    this.maxConcurrentPerPartition = Math.max(this.maxConcurrentPerPartition, this.active.get(key)!);
    this.concurrent++;
    try {
      this.writes++;
      if (this.options.delayMs) await sleep(this.options.delayMs);
      if (this.failures < (this.options.failFirst ?? 0)) {
        this.failures++;
        throw new Error(`simulated store failure ${this.failures}`);
      }
      this.batches.push(batch);
      let m = this.offsets.get(batch.topic);
      if (!m) this.offsets.set(batch.topic, (m = new Map()));
      m.set(batch.partition, batch.nextOffset);
    } finally {
      this.concurrent--;
      this.active.set(key, this.active.get(key)! - 1);
    }
  }

  async storedOffsets(topic: string): Promise<ReadonlyMap<number, string>> {
    if (!this.options.storesOffsets) return new Map();
    return new Map(this.offsets.get(topic) ?? []);
  }

  events(topic?: string): IngestedEvent[] {
    return this.batches.filter((b) => topic === undefined || b.topic === topic).flatMap((b) => b.events);
  }

  /** Next offset the sink has for a partition (from the latest batch). */
  next(topic: string, partition: number): string | undefined {
    return this.offsets.get(topic)?.get(partition);
  }
}

interface FileLine {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: string;
  readonly offsets: string[];
  readonly writer: string;
}

/**
 * Crash-safe file sink: one JSON line per batch (events + next offset together), fsynced.
 * A line torn by SIGKILL has no newline and is ignored, so a batch is durable or absent.
 * `holdAfterWriteMs` keeps write() pending after the line is durable, so a kill there leaves
 * the sink ahead of Kafka's committed offset.
 */
export class FileSink implements EventSink {
  constructor(
    readonly path: string,
    private readonly writer: string,
    private readonly holdAfterWriteMs = 0,
  ) {}

  async write(batch: PartitionBatch): Promise<void> {
    const line: FileLine = {
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: batch.nextOffset,
      offsets: batch.events.map((e) => e.offset),
      writer: this.writer,
    };
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.holdAfterWriteMs) await sleep(this.holdAfterWriteMs);
  }

  async storedOffsets(topic: string): Promise<ReadonlyMap<number, string>> {
    const out = new Map<number, string>();
    for (const line of readFileSink(this.path)) {
      if (line.topic !== topic) continue;
      const prev = out.get(line.partition);
      if (prev === undefined || BigInt(line.nextOffset) > BigInt(prev)) out.set(line.partition, line.nextOffset);
    }
    return out;
  }
}

export function readFileSink(path: string): FileLine[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as FileLine);
}

/**
 * Not crash-safe on purpose: appends each event as it goes (slowly) and keeps no offsets,
 * so after a SIGKILL the events of the batch in hand are on disk but not committed.
 */
export class SlowAppendSink implements EventSink {
  constructor(
    readonly path: string,
    private readonly writer: string,
    private readonly delayPerEventMs: number,
  ) {}

  async write(batch: PartitionBatch): Promise<void> {
    for (const e of batch.events) {
      appendFileSync(this.path, `${JSON.stringify({ partition: e.partition, offset: e.offset, writer: this.writer })}\n`);
      if (this.delayPerEventMs) await sleep(this.delayPerEventMs);
    }
  }

  async storedOffsets(): Promise<ReadonlyMap<number, string>> {
    return new Map();
  }
}

export function readAppendSink(path: string): Array<{ partition: number; offset: string; writer: string }> {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}'))
    .map((l) => JSON.parse(l) as { partition: number; offset: string; writer: string });
}
