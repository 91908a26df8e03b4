import { dlqMessage, type DlqMessage, type Headers } from './dlq.js';
import type { FailureStage, ReasonClass } from './failure.js';
import type { SourceMessage, StreamProcessor } from './stream.js';
import type { IngestedEvent } from './types.js';

export interface BatchMessage extends SourceMessage {
  readonly headers?: Headers;
}

/** Between chunks: go on, stop here and keep what was processed, or drop the batch. */
export type ChunkDecision = 'continue' | 'truncate' | 'abandon';

export interface InvalidCount {
  readonly stage: FailureStage;
  readonly reasonClass: ReasonClass;
  count: number;
}

export interface ProcessedBatch {
  readonly events: IngestedEvent[];
  readonly dead: DlqMessage[];
  readonly invalid: InvalidCount[];
  /** Messages processed (a prefix of the input when truncated). */
  readonly processed: number;
  /** Offset of the last processed message; undefined when none was. */
  readonly lastOffset: string | undefined;
}

/** Between chunks the caller heartbeats and checks the consumer is still running; 1000 messages ≈ 2 ms. */
export const DEFAULT_CHUNK_SIZE = 1000;

/**
 * Decodes and validates one partition's messages in chunks, splitting them into valid
 * events and DLQ messages. Returns null when `between` says to abandon the batch.
 */
export async function processBatch(
  processor: StreamProcessor,
  partition: number,
  messages: readonly BatchMessage[],
  between: () => ChunkDecision | Promise<ChunkDecision>,
  chunkSize = DEFAULT_CHUNK_SIZE,
  now: () => number = Date.now,
): Promise<ProcessedBatch | null> {
  const events: IngestedEvent[] = [];
  const dead: DlqMessage[] = [];
  const invalid = new Map<string, InvalidCount>();
  let processed = 0;
  while (processed < messages.length) {
    const end = Math.min(messages.length, processed + chunkSize);
    for (let i = processed; i < end; i++) {
      const m = messages[i]!;
      const r = processor.process(m, partition);
      if (r.ok) {
        events.push(r.event);
        continue;
      }
      const source = { stream: processor.name, topic: processor.topic, partition, offset: m.offset, timestamp: m.timestamp };
      dead.push(dlqMessage(m, r, source, now()));
      const key = `${r.stage}|${r.reasonClass}`;
      const c = invalid.get(key);
      if (c) c.count++;
      else invalid.set(key, { stage: r.stage, reasonClass: r.reasonClass, count: 1 });
    }
    processed = end;
    if (processed < messages.length) {
      const decision = await between();
      if (decision === 'abandon') return null;
      if (decision === 'truncate') break;
    }
  }
  return {
    events,
    dead,
    invalid: [...invalid.values()],
    processed,
    lastOffset: processed > 0 ? messages[processed - 1]!.offset : undefined,
  };
}
