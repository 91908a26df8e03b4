/**
 * Wires the alert manager from driftwatch.yaml: channels from `alerts.channels`, `*` →
 * `alerts.default_channels`, retrain targets from `retrain` (Kafka topic with the `kafka`
 * connection settings, optional HTTP dispatch), secrets registered with the redactor, and
 * the Prometheus facade fed from the manager's hooks.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kafka, KafkaConfig } from 'kafkajs';
import type { DriftwatchConfig } from '../config/types.js';
import type { Metrics } from '../http/metrics.js';
import { HttpDispatchTarget } from '../retrain/http-dispatch.js';
import { RetrainKafkaPublisher } from '../retrain/kafka-publisher.js';
import type { RuleSet } from '../rules/types.js';
import { channelSecrets, createSinks } from './channels/index.js';
import type { OutboxTarget } from './delivery.js';
import { AlertManager } from './manager.js';
import { Redactor } from './redact.js';
import type { AlertLogger } from './types.js';

export interface AlertingOptions {
  readonly config: Pick<DriftwatchConfig, 'alerts' | 'retrain' | 'kafka'>;
  /** A connection of its own to the store's DuckDB file. */
  readonly conn: DuckDBConnection;
  readonly rules: RuleSet;
  readonly metrics?: Pick<Metrics, 'alertFired' | 'alertResolved' | 'notificationSent' | 'notificationFailed'>;
  readonly logger?: AlertLogger;
  /** Reuse the pipeline's kafkajs client for retrain events (else one is built from config.kafka). */
  readonly kafka?: Kafka;
}

export async function openAlertManager(options: AlertingOptions): Promise<AlertManager> {
  const { config, metrics } = options;
  const redactor = new Redactor(channelSecrets(config.alerts.channels));
  const retrainTargets: OutboxTarget[] = [];
  if (config.retrain.enabled) {
    const k = config.kafka;
    retrainTargets.push(
      new RetrainKafkaPublisher({
        kafka: options.kafka ?? {
          brokers: [...k.brokers],
          clientId: `${k.clientId}-retrain`,
          // Passed through to kafkajs unchanged, as for the ingest consumer.
          ...(k.ssl !== undefined ? { ssl: k.ssl as KafkaConfig['ssl'] } : {}),
          ...(k.sasl !== undefined ? { sasl: k.sasl as unknown as KafkaConfig['sasl'] } : {}),
        },
        topic: config.retrain.topic,
      }),
    );
    const http = config.retrain.http;
    if (http !== undefined) {
      if (http.tokenEnv !== undefined) redactor.add(process.env[http.tokenEnv]);
      retrainTargets.push(
        new HttpDispatchTarget({ url: http.url, eventType: http.eventType, ...(http.tokenEnv !== undefined ? { tokenEnv: http.tokenEnv } : {}) }),
      );
    }
  }
  return AlertManager.open({
    conn: options.conn,
    rules: options.rules,
    sinks: createSinks(config.alerts.channels),
    defaultChannels: config.alerts.defaultChannels,
    retrainTargets,
    redactor,
    ...(options.logger ? { logger: options.logger } : {}),
    hooks: {
      alertNotified: (stream, item) => {
        if (item.kind === 'resolved') metrics?.alertResolved(stream, item.feature);
        else if (item.kind === 'firing' || item.kind === 'escalated') metrics?.alertFired(stream, item.feature, item.severity);
      },
      delivered: (row) => metrics?.notificationSent(row.channel),
      deliveryFailed: (row) => metrics?.notificationFailed(row.channel),
    },
  });
}
