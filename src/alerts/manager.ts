/**
 * The alert manager: feeds each evaluated window through the pure state machine, groups
 * what changed into one notification per channel, decides retrain events, and writes the
 * state, history and outbox rows in one DuckDB transaction before the delivery worker is
 * kicked. The caller waits only for that transaction, never for a channel.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { RuleError } from '../errors.js';
import { validateRetrainEvent } from '../retrain/event.js';
import { decideRetrain } from '../retrain/trigger.js';
import type { RetrainFeatureView } from '../retrain/trigger.js';
import type { RetrainEvent, RetrainIncident } from '../retrain/types.js';
import type { RuleSet } from '../rules/types.js';
import type { BackoffOptions } from './backoff.js';
import { alertTarget } from './channels/index.js';
import { DeliveryWorker } from './delivery.js';
import type { OutboxTarget } from './delivery.js';
import { groupNotifications } from './group.js';
import { Redactor } from './redact.js';
import { initialRecord, transition } from './state-machine.js';
import { AlertStore } from './store.js';
import type { HistoryInsert, OutboxInsert, OutboxRow } from './store.js';
import { silentLogger } from './types.js';
import type { AlertItem, AlertLogger, AlertNotification, AlertRecord, AlertSink, WindowResults } from './types.js';

export interface AlertManagerHooks {
  /** An alert fired, escalated, repeated or resolved (metrics). */
  readonly alertNotified?: (stream: string, item: AlertItem) => void;
  readonly delivered?: (row: OutboxRow) => void;
  readonly deliveryFailed?: (row: OutboxRow, error: string, final: boolean) => void;
}

export interface AlertManagerOptions {
  /** A connection of its own to the store's DuckDB file. */
  readonly conn: DuckDBConnection;
  readonly rules: RuleSet;
  readonly sinks?: readonly AlertSink[];
  /** What `*` in a rule's channels means; default every sink. */
  readonly defaultChannels?: readonly string[];
  /** Retrain publishers (Kafka topic, HTTP dispatch); their rows go through the same outbox. */
  readonly retrainTargets?: readonly OutboxTarget[];
  readonly redactor?: Redactor;
  readonly logger?: AlertLogger;
  /** Wall clock for created/sent times (state uses window time). */
  readonly clock?: () => number;
  readonly backoff?: BackoffOptions;
  readonly hooks?: AlertManagerHooks;
  /** Start the delivery worker (default true). */
  readonly deliver?: boolean;
}

export interface WindowOutcome {
  readonly notifications: readonly AlertNotification[];
  readonly retrainEvents: readonly RetrainEvent[];
  /** Features whose window was already applied (replay) and so changed nothing. */
  readonly replayed: number;
}

const keyOf = (stream: string, feature: string, ruleId: string): string => `${stream}\u0000${feature}\u0000${ruleId}`;

export class AlertManager {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly records = new Map<string, AlertRecord>();
  private readonly incidents = new Map<string, RetrainIncident>();
  private readonly channelNames: ReadonlySet<string>;
  private readonly defaultChannels: readonly string[];
  private readonly retrainNames: readonly string[];
  private readonly logger: AlertLogger;
  private readonly clock: () => number;

  private constructor(
    private readonly options: AlertManagerOptions,
    readonly store: AlertStore,
    readonly worker: DeliveryWorker,
  ) {
    const sinks = options.sinks ?? [];
    this.channelNames = new Set(sinks.map((s) => s.name));
    this.defaultChannels = options.defaultChannels ?? sinks.map((s) => s.name);
    this.retrainNames = (options.retrainTargets ?? []).map((t) => t.name);
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? Date.now;
  }

  /** Creates the tables, loads persisted state (firing alerts stay firing) and resumes unsent rows. */
  static async open(options: AlertManagerOptions): Promise<AlertManager> {
    checkChannels(options);
    const store = await AlertStore.open(options.conn);
    const sinks = options.sinks ?? [];
    const worker = new DeliveryWorker({
      store,
      targets: [...sinks.map(alertTarget), ...(options.retrainTargets ?? [])],
      redactor: options.redactor ?? new Redactor(),
      logger: options.logger ?? silentLogger,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.hooks?.delivered ? { onDelivered: options.hooks.delivered } : {}),
      ...(options.hooks?.deliveryFailed ? { onFailure: options.hooks.deliveryFailed } : {}),
    });
    const manager = new AlertManager(options, store, worker);
    for (const r of await store.loadAlerts()) manager.records.set(keyOf(r.stream, r.feature, r.ruleId), r);
    for (const i of await store.loadIncidents()) manager.incidents.set(i.model, i);
    if (options.deliver ?? true) await worker.start();
    return manager;
  }

  /** Current state of every known alert. */
  alerts(): AlertRecord[] {
    return [...this.records.values()];
  }

  /** Applies one evaluated window. Resolves once its changes are durable (not delivered). */
  onWindowEvaluated(window: WindowResults): Promise<WindowOutcome> {
    const run = this.chain.then(() => this.apply(window));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private expand(channels: readonly string[]): string[] {
    const out = new Set<string>();
    for (const c of channels) {
      for (const name of c === '*' ? this.defaultChannels : [c]) {
        if (this.channelNames.has(name)) out.add(name);
        else this.logger.warn({ channel: name }, 'rule names a channel that is not configured; skipped');
      }
    }
    return [...out];
  }

  private async apply(w: WindowResults): Promise<WindowOutcome> {
    const { rules } = this.options;
    const now = this.clock();
    const changed: Array<{ record: AlertRecord; labels: Readonly<Record<string, string>> }> = [];
    const history: HistoryInsert[] = [];
    const routed: Array<{ item: AlertItem; channels: string[] }> = [];
    const views: RetrainFeatureView[] = [];
    let replayed = 0;
    for (const result of w.results) {
      const rule = rules.ruleFor(w.stream, result.feature);
      const key = { stream: w.stream, feature: result.feature, ruleId: rule.id };
      const prev = this.records.get(keyOf(key.stream, key.feature, key.ruleId)) ?? initialRecord(key);
      const t = transition(prev, result.evaluation, rule, w.windowEnd);
      if (t.replayed) {
        replayed += 1;
        continue;
      }
      changed.push({ record: t.next, labels: rule.labels });
      views.push({ feature: result.feature, rule, record: t.next, drift: result.drift });
      if (t.next.state !== prev.state || t.notify !== undefined) {
        history.push({ record: t.next, windowStart: w.windowStart, fromState: prev.state, notification: t.notify ?? null });
      }
      if (t.notify !== undefined) {
        const item: AlertItem = {
          feature: result.feature,
          ruleId: rule.id,
          kind: t.notify,
          severity: t.next.severity ?? 'warn',
          breaches: t.next.breaches,
          labels: rule.labels,
          firedAt: t.next.firedAt,
          nCurrent: result.drift.n_current,
          nullRateCurrent: result.drift.null_rate_current,
        };
        routed.push({ item, channels: this.expand(rule.channels) });
      }
    }
    const grouped = groupNotifications(w.stream, w.windowStart, w.windowEnd, routed);
    const notifications = [...grouped.values()];
    const decision = decideRetrain({
      stream: w.stream,
      windowStart: w.windowStart,
      windowEnd: w.windowEnd,
      features: views,
      incidents: this.incidents,
      ...(w.baselineId !== undefined ? { baselineId: w.baselineId } : {}),
      ...(w.parquetPaths !== undefined ? { parquetPaths: w.parquetPaths } : {}),
      now,
    });
    const outbox: OutboxInsert[] = [...grouped].map(([channel, n]) => ({ id: n.id, channel, kind: 'alert', payload: n }));
    for (const event of decision.events) {
      validateRetrainEvent(event, `retrain event for model ${event.model}`);
      for (const target of this.retrainNames) {
        outbox.push({ id: `${event.idempotency_key}:${target}`, channel: target, kind: 'retrain', payload: event });
      }
    }
    if (changed.length > 0 || outbox.length > 0 || decision.incidents.length > 0) {
      await this.store.commitWindow({ alerts: changed, history, outbox, incidents: decision.incidents }, now);
    }
    // Only after the commit: memory mirrors what is durable.
    for (const { record } of changed) this.records.set(keyOf(record.stream, record.feature, record.ruleId), record);
    for (const i of decision.incidents) this.incidents.set(i.model, i);
    for (const { item } of routed) this.options.hooks?.alertNotified?.(w.stream, item);
    for (const e of decision.events) this.logger.info({ model: e.model, key: e.idempotency_key }, e.summary);
    if (outbox.length > 0) this.worker.kick();
    return { notifications, retrainEvents: decision.events, replayed };
  }

  /** Stops delivery (unsent rows stay for the next start) and closes the channels. */
  async close(): Promise<void> {
    await this.chain;
    await this.worker.close();
    await this.store.drain();
  }
}

function checkChannels(options: AlertManagerOptions): void {
  const names = new Set((options.sinks ?? []).map((s) => s.name));
  for (const t of options.retrainTargets ?? []) {
    if (names.has(t.name)) throw new RuleError(`retrain target '${t.name}' has the same name as an alert channel`);
  }
  for (const c of options.defaultChannels ?? []) {
    if (!names.has(c)) throw new RuleError(`alerts.default_channels names '${c}', which is not a configured channel`);
  }
  const rules = [...options.rules.rules, options.rules.defaultsFor('*')];
  for (const rule of rules) {
    for (const c of rule.channels) {
      if (c !== '*' && !names.has(c)) {
        const file = rule.sources[rule.sources.length - 1] ?? rule.id;
        throw new RuleError(
          `${file}: channels names '${c}', which is not a configured alert channel (configured: ${[...names].join(', ') || 'none'})`,
          { details: { file, channel: c } },
        );
      }
    }
  }
}
