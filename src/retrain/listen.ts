/**
 * `driftwatch retrain listen`: consumes retrain events and runs a command per event. The
 * offset is committed only after the command exited 0; otherwise the same event is retried
 * with capped backoff (heartbeating, so the group keeps the partition). Delivery is
 * at-least-once: the command gets DRIFTWATCH_IDEMPOTENCY_KEY to dedupe.
 * A message that is not a valid retrain event can never succeed: it is logged and skipped.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer, KafkaConfig } from 'kafkajs';
import { backoffDelay, defaultBackoff } from '../alerts/backoff.js';
import type { BackoffOptions } from '../alerts/backoff.js';
import { silentLogger } from '../alerts/types.js';
import type { AlertLogger } from '../alerts/types.js';
import { KafkaError, errorMessage } from '../errors.js';
import { validateRetrainEvent } from './event.js';
import { runRetrainCommand } from './exec.js';
import type { ExecOptions } from './exec.js';
import { DEFAULT_RETRAIN_TOPIC } from './kafka-publisher.js';

export interface RetrainListenOptions {
  readonly kafka: Kafka | Pick<KafkaConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'>;
  readonly topic?: string;
  readonly groupId: string;
  readonly command: string;
  readonly fromBeginning?: boolean;
  readonly backoff?: BackoffOptions;
  /** Give up (and stop with an error, offset not committed) after this many failed runs of one event. */
  readonly maxAttempts?: number;
  readonly exec?: ExecOptions;
  readonly logger?: AlertLogger;
  /** Called after each successful command and commit (tests, metrics). */
  readonly onCommitted?: (info: { topic: string; partition: number; offset: string; key: string }) => void;
}

export interface RetrainListener {
  /** Resolves when stopped; rejects when it gave up (maxAttempts) or the consumer failed for good. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const HEARTBEAT_MS = 3_000;

export async function startRetrainListener(options: RetrainListenOptions): Promise<RetrainListener> {
  const topic = options.topic ?? DEFAULT_RETRAIN_TOPIC;
  const logger = options.logger ?? silentLogger;
  const backoff = options.backoff ?? defaultBackoff;
  const kafka =
    options.kafka instanceof Kafka ? options.kafka : new Kafka({ clientId: 'driftwatch-retrain-listener', logLevel: logLevel.ERROR, ...options.kafka });
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: true });
  let stopping = false;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  let wake: (() => void) | undefined;
  const sleep = (ms: number, heartbeat: () => Promise<void>): Promise<void> =>
    new Promise((resolve) => {
      const end = Date.now() + ms;
      const tick = (): void => {
        if (stopping || Date.now() >= end) {
          clearInterval(iv);
          resolve();
          return;
        }
        void heartbeat().catch(() => undefined);
      };
      const iv = setInterval(tick, Math.min(HEARTBEAT_MS, Math.max(10, ms)));
      wake = () => {
        clearInterval(iv);
        resolve();
      };
    });

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? false });
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) settle.reject(new KafkaError(`retrain listener on ${topic}: consumer crashed: ${errorMessage(e.payload.error)}`));
  });

  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 1,
    eachMessage: async ({ topic: t, partition, message, heartbeat }) => {
      // Once stopping, touch nothing: committing a later offset would skip an unfinished event.
      if (stopping) return;
      const where = `${t}[${partition}]@${message.offset}`;
      const next = (BigInt(message.offset) + 1n).toString();
      let event;
      try {
        event = validateRetrainEvent(JSON.parse(message.value?.toString('utf8') ?? 'null'), `message ${where}`);
      } catch (err) {
        logger.error({ at: where, err: errorMessage(err) }, 'not a retrain event; skipped');
        await consumer.commitOffsets([{ topic: t, partition, offset: next }]);
        return;
      }
      for (let attempt = 1; !stopping; attempt++) {
        const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
        let ok = false;
        let why = '';
        try {
          const r = await runRetrainCommand(options.command, event, {
            ...options.exec,
            extraEnv: {
              ...(options.exec?.extraEnv ?? {}),
              DRIFTWATCH_EVENT_TOPIC: t,
              DRIFTWATCH_EVENT_PARTITION: String(partition),
              DRIFTWATCH_EVENT_OFFSET: message.offset,
              DRIFTWATCH_ATTEMPT: String(attempt),
            },
          });
          ok = r.code === 0;
          why = r.timedOut ? 'timed out' : r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
        } catch (err) {
          why = `could not start: ${errorMessage(err)}`;
        } finally {
          clearInterval(beat);
        }
        if (ok) {
          await consumer.commitOffsets([{ topic: t, partition, offset: next }]);
          logger.info({ at: where, model: event.model, key: event.idempotency_key, attempt }, 'retrain command succeeded; offset committed');
          options.onCommitted?.({ topic: t, partition, offset: message.offset, key: event.idempotency_key });
          return;
        }
        if (options.maxAttempts !== undefined && attempt >= options.maxAttempts) {
          const err = new KafkaError(
            `retrain command failed ${attempt} times for model ${event.model} (${where}, ${why}); offset not committed`,
            { details: { topic: t, partition, offset: message.offset, model: event.model } },
          );
          stopping = true;
          settle.reject(err);
          // Leave eachMessage without committing; stop() below disconnects.
          setImmediate(() => void consumer.disconnect().catch(() => undefined));
          return;
        }
        const delay = backoffDelay(attempt, backoff);
        logger.warn({ at: where, model: event.model, attempt, retryInMs: delay, why }, 'retrain command failed; will retry');
        await sleep(delay, heartbeat);
      }
    },
  });

  return {
    done,
    async stop() {
      stopping = true;
      wake?.();
      await consumer.disconnect();
      settle.resolve();
    },
  };
}
