/**
 * Publishes retrain events to a Kafka topic (default `driftwatch.retrain`) with an
 * idempotent producer (acks = all), key = model so one model's events stay in order.
 * Used as an outbox target: the delivery worker retries it like any channel.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig, Producer } from 'kafkajs';
import type { OutboxTarget } from '../alerts/delivery.js';
import type { OutboxRow } from '../alerts/store.js';
import { KafkaError, errorMessage } from '../errors.js';
import { validateRetrainEvent } from './event.js';
import type { RetrainEvent } from './types.js';

export const DEFAULT_RETRAIN_TOPIC = 'driftwatch.retrain';
export const IDEMPOTENCY_HEADER = 'driftwatch-idempotency-key';

export interface RetrainKafkaOptions {
  /** A kafkajs client, or the settings to build one. */
  readonly kafka: Kafka | Pick<KafkaConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'>;
  readonly topic?: string;
  /** Outbox channel name. Default `retrain-kafka`. */
  readonly name?: string;
}

export class RetrainKafkaPublisher implements OutboxTarget {
  readonly name: string;
  readonly topic: string;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(options: RetrainKafkaOptions) {
    this.name = options.name ?? 'retrain-kafka';
    this.topic = options.topic ?? DEFAULT_RETRAIN_TOPIC;
    this.kafka =
      options.kafka instanceof Kafka
        ? options.kafka
        : new Kafka({ clientId: 'driftwatch-retrain', logLevel: logLevel.ERROR, ...options.kafka });
  }

  private connect(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      // Idempotent: a retried send after a lost ack is not written twice to the log.
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
      try {
        await producer.connect();
      } finally {
        this.connecting = undefined;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  async publish(event: RetrainEvent): Promise<void> {
    validateRetrainEvent(event, `retrain event ${event.idempotency_key}`);
    try {
      const producer = await this.connect();
      await producer.send({
        topic: this.topic,
        acks: -1,
        messages: [
          {
            key: event.model,
            value: JSON.stringify(event),
            headers: { [IDEMPOTENCY_HEADER]: event.idempotency_key, 'content-type': 'application/json' },
          },
        ],
      });
    } catch (err) {
      const stale = this.producer;
      this.producer = undefined;
      await stale?.disconnect().catch(() => undefined);
      throw new KafkaError(`retrain event for model ${event.model} → topic ${this.topic}: ${errorMessage(err)}`, {
        retryable: true,
        details: { topic: this.topic, model: event.model, key: event.idempotency_key },
      });
    }
  }

  deliver(row: OutboxRow): Promise<void> {
    return this.publish(JSON.parse(row.payload) as RetrainEvent);
  }

  async close(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.disconnect();
  }
}
