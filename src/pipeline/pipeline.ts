/**
 * The running driftwatch process, built from a DriftwatchConfig (flow: src/pipeline/README.md):
 * Kafka → ingest consumer (invalid → DLQ) → DuckDB store (events, windows) → evaluation queue
 * (drift_results, gauges) → alert manager → outbox → channels and the retrain topic.
 *
 * Start order: inputs (baselines, rules, specs) → ops server → store → alert manager →
 * replay of windows that closed but were never evaluated → consumer. Stop order is the
 * reverse, draining each stage into the next: consumer (finishes its batch, commits) →
 * evaluation queue → one bounded delivery attempt → alert manager → store → ops server.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { openAlertManager } from '../alerts/from-config.js';
import type { AlertManager } from '../alerts/manager.js';
import type { DriftwatchConfig, LogLevel } from '../config/types.js';
import { KafkaError, errorMessage } from '../errors.js';
import { createMetrics, createReadiness, ingestMetricsFor, startOpsServer } from '../http/index.js';
import type { Metrics, OpsServer } from '../http/index.js';
import { createIngestConsumer } from '../ingest/consumer.js';
import type { IngestConsumer } from '../ingest/consumer.js';
import { ingestOptionsFromConfig } from '../ingest/from-config.js';
import { openStore } from '../store/index.js';
import type { DriftStore } from '../store/index.js';
import { ActivitySink, teeIngestMetrics } from './activity.js';
import { EvaluationQueue } from './evaluation-queue.js';
import type { EvaluatedWindow } from './evaluation-queue.js';
import { loadPipelineRules, loadStreamBaselines, streamSpecs } from './inputs.js';
import { alertLogger, createLogger, ingestLogger } from './logger.js';
import type { PipelineLogger } from './logger.js';
import { PipelineStatsCollector } from './stats.js';
import type { PipelineStats } from './stats.js';

export interface PipelineOptions {
  /** Overrides `logging.level` (e.g. from --log-level). */
  readonly logLevel?: LogLevel;
  /** A logger to use instead of one built from the config (tests, embedding). */
  readonly logger?: PipelineLogger;
  /** Overrides `kafka.from_beginning`. */
  readonly fromBeginning?: boolean;
  /** Re-check idle partitions on the wall clock this often. Default: a quarter of the smallest idle timeout, 1–5 s. */
  readonly tickIntervalMs?: number;
  /** Called after each window's evaluation is recorded (progress output). */
  readonly onWindowEvaluated?: (w: EvaluatedWindow) => void;
}

export interface SettleOptions {
  /** Longest wait for pending notifications to be delivered. Default 15 s. */
  readonly deliveryTimeoutMs?: number;
  /** Aborts the wait for idleness (e.g. on SIGINT); settle then returns at once. */
  readonly signal?: AbortSignal;
}

export interface Pipeline {
  readonly config: DriftwatchConfig;
  readonly logger: PipelineLogger;
  readonly metrics: Metrics;
  /** Base URL of /metrics, /healthz, /readyz; undefined when http is disabled. */
  readonly opsUrl: string | undefined;
  readonly store: DriftStore;
  readonly alerts: AlertManager;
  /** Resolves after the consumer first joined its group (partitions assigned and sought). */
  joined(): Promise<void>;
  stats(): PipelineStats;
  /**
   * Waits until no batch arrived for `idleMs` (counted from the first group join), then closes
   * the windows the watermark allows, evaluates them, and waits (bounded) for pending
   * notifications and retrain events to be delivered. Returns false if aborted.
   */
  settle(idleMs: number, options?: SettleOptions): Promise<boolean>;
  /** Graceful stop; idempotent. */
  stop(options?: { deliveryTimeoutMs?: number }): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startPipeline(config: DriftwatchConfig, options: PipelineOptions = {}): Promise<Pipeline> {
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? config.logging.level });
  const closers: Array<() => Promise<void> | void> = [];
  const cleanup = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err: errorMessage(err) }, 'cleanup step failed');
      }
    }
  };
  try {
    const baselines = await loadStreamBaselines(config.streams);
    const { rules, fromDir } = loadPipelineRules(config.rules.dir, baselines);
    if (!fromDir) logger.warn({ dir: config.rules.dir }, 'rules directory not found; using the built-in default rules');
    const specs = streamSpecs(config.streams, baselines);

    const metrics = createMetrics();
    for (const s of config.streams) metrics.declareStream(s.name);
    const readiness = createReadiness();
    readiness.declare('kafka', 'consumer has not joined its group yet');
    readiness.set('baselines', true, `${baselines.size} loaded`);
    let ops: OpsServer | undefined;
    if (config.http.enabled) {
      ops = await startOpsServer({ metrics, readiness, host: config.http.host, port: config.http.port, logger });
      const server = ops;
      closers.push(() => server.close());
    }

    const stats = new PipelineStatsCollector();
    const store = await openStore(config.storage.duckdbPath, {
      streams: specs,
      metrics: {
        lateEvents: (stream, n) => {
          stats.late(n);
          metrics.eventsLate(stream, n);
        },
        windowClosed: (stream, latencyMs) => {
          stats.windowClosed();
          metrics.windowClosed(stream, latencyMs / 1000);
        },
      },
      onListenerError: (err) => logger.error({ err: errorMessage(err) }, 'window-close listener failed'),
    });
    closers.push(() => store.close());
    readiness.set('store', true, config.storage.duckdbPath);

    const alertConn: DuckDBConnection = await store.connect();
    closers.push(() => alertConn.closeSync());
    const alerts = await openAlertManager({ config, conn: alertConn, rules, metrics, logger: alertLogger(logger) });
    closers.push(() => alerts.close());

    const queue = new EvaluationQueue({
      store,
      baselines,
      rules,
      alerts,
      metrics,
      logger: logger.child({ module: 'evaluate' }),
      parquetDir: config.storage.parquetDir,
      onEvaluated: (w) => {
        stats.evaluated(w);
        options.onWindowEvaluated?.(w);
      },
    });
    closers.push(() => queue.drain());
    store.addWindowCloseListener(queue);
    const replay = await store.unevaluatedWindows();
    if (replay.length > 0) logger.info({ windows: replay.length }, 'evaluating windows that closed before the last stop but were not evaluated');
    queue.enqueue(replay);

    const sink = new ActivitySink(store);
    const ingest = teeIngestMetrics([ingestMetricsFor(metrics)]);
    const kafka = options.fromBeginning === undefined ? config.kafka : { ...config.kafka, fromBeginning: options.fromBeginning };
    const consumer: IngestConsumer = createIngestConsumer(
      ingestOptionsFromConfig(kafka, config.streams, { logger: ingestLogger(logger) }),
      sink,
      ingest.metrics,
    );

    let stopping = false;
    let firstJoin!: () => void;
    const joinedOnce = new Promise<void>((r) => (firstJoin = r));
    // Each (re)join: tell the store which partitions to wait for, so the first partition read
    // cannot push the watermark past the others' backlog.
    const watchJoins = async (): Promise<void> => {
      while (!stopping) {
        await consumer.joined();
        if (stopping) return;
        const assignment = consumer.assignment();
        for (const s of config.streams) store.expectPartitions(s.name, s.topic, assignment[s.topic] ?? []);
        sink.touch();
        readiness.set('kafka', true, `assigned ${JSON.stringify(assignment)}`);
        firstJoin();
      }
    };
    void watchJoins();
    try {
      await consumer.start();
    } catch (err) {
      await consumer.stop().catch(() => undefined);
      throw new KafkaError(`cannot start consuming from ${config.kafka.brokers.join(',')}: ${errorMessage(err)}`, {
        cause: err,
        retryable: true,
        details: { brokers: config.kafka.brokers },
      });
    }
    closers.push(() => consumer.stop());

    const smallestIdle = Math.min(...specs.map((s) => s.windows.idleTimeoutMs));
    const tickMs = options.tickIntervalMs ?? Math.min(5_000, Math.max(1_000, Number.isFinite(smallestIdle) ? smallestIdle / 4 : 5_000));
    const ticker = setInterval(() => {
      store.tick().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'closing idle windows failed'));
    }, tickMs);
    ticker.unref();
    closers.push(() => clearInterval(ticker));

    logger.info(
      {
        streams: config.streams.map((s) => ({ name: s.name, topic: s.topic, features: specs.find((x) => x.name === s.name)?.features.length })),
        group: kafka.groupId,
        duckdb: config.storage.duckdbPath,
        rules: fromDir ? config.rules.dir : 'built-in defaults',
        channels: Object.keys(config.alerts.channels),
        ops: ops?.url,
      },
      'pipeline started',
    );

    const deliveryIdle = async (timeoutMs: number): Promise<void> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      const outcome = await Promise.race([alerts.worker.idle().then(() => 'idle' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') logger.warn({ timeout_ms: timeoutMs }, 'some notifications are still undelivered; they stay in the outbox for the next start');
    };

    let stopped: Promise<void> | undefined;
    const pipeline: Pipeline = {
      config,
      logger,
      metrics,
      opsUrl: ops?.url,
      store,
      alerts,
      joined: () => joinedOnce,
      stats: () =>
        stats.snapshot({
          ingest: ingest.totals,
          eventsStored: sink.events,
          evaluationBacklog: queue.backlog,
          evaluationFailures: queue.failures,
          watermarks: Object.fromEntries(config.streams.map((s) => [s.name, store.watermark(s.name)])),
        }),
      async settle(idleMs, settleOptions = {}) {
        const { signal } = settleOptions;
        const aborted = new Promise<void>((r) => signal?.addEventListener('abort', () => r(), { once: true }));
        await Promise.race([joinedOnce, aborted]);
        while (!signal?.aborted) {
          const quiet = Date.now() - sink.lastActivity;
          if (quiet >= idleMs) break;
          await Promise.race([sleep(Math.min(idleMs - quiet, 250)), aborted]);
        }
        if (signal?.aborted) return false;
        logger.info({ idle_ms: idleMs }, 'no new events; closing the windows the watermark allows');
        await store.tick();
        await queue.drain();
        await deliveryIdle(settleOptions.deliveryTimeoutMs ?? 15_000);
        return true;
      },
      stop(stopOptions = {}) {
        stopped ??= (async () => {
          stopping = true;
          readiness.set('kafka', false, 'stopping');
          clearInterval(ticker);
          logger.info({}, 'stopping: finishing the batch in hand');
          await consumer.stop();
          await queue.drain();
          await deliveryIdle(stopOptions.deliveryTimeoutMs ?? 5_000);
          const final = pipeline.stats();
          await cleanup();
          logger.info({ ...final, drifted: final.drifted.map((d) => `${d.stream}/${d.feature}:${d.worst}`) }, 'stopped');
        })();
        return stopped;
      },
    };
    return pipeline;
  } catch (err) {
    await cleanup();
    throw err;
  }
}
