/**
 * Delivery worker: one FIFO queue per channel, read from the outbox table. A channel that
 * is down keeps its own queue waiting (retried with capped exponential backoff, honouring
 * the receiver's Retry-After) and delays no other channel; the caller (ingest) only kicks
 * the worker and never waits for it. A row is marked sent after the channel accepted it,
 * so delivery is at-least-once across crashes and never repeats a row marked sent.
 */
import { DriftwatchError, errorMessage } from '../errors.js';
import { backoffDelay, defaultBackoff } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import { Redactor } from './redact.js';
import type { AlertStore, OutboxRow } from './store.js';
import { silentLogger } from './types.js';
import type { AlertLogger } from './types.js';

/** Something that can deliver outbox rows of one channel (alert sink, retrain publisher…). */
export interface OutboxTarget {
  readonly name: string;
  /** Throws NotifyError (retryable or not; `details.retryAfterMs` if the receiver said). */
  deliver(row: OutboxRow): Promise<void>;
  close?(): Promise<void>;
}

export interface DeliveryOptions {
  readonly store: AlertStore;
  readonly targets: Iterable<OutboxTarget>;
  readonly redactor?: Redactor;
  readonly logger?: AlertLogger;
  readonly backoff?: BackoffOptions;
  readonly clock?: () => number;
  /** Metrics hooks. */
  readonly onDelivered?: (row: OutboxRow) => void;
  readonly onFailure?: (row: OutboxRow, error: string, final: boolean) => void;
}

class ChannelQueue {
  private kicked = true;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  idle = false;
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: OutboxTarget,
    private readonly worker: DeliveryWorker,
    private readonly o: Required<Pick<DeliveryOptions, 'store' | 'logger' | 'backoff' | 'clock'>> & DeliveryOptions,
    private readonly redactor: Redactor,
  ) {}

  start(): void {
    this.done = this.loop();
  }

  kick(): void {
    this.kicked = true;
    this.idle = false;
    this.wake?.();
  }

  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private sleep(ms: number): Promise<void> {
    if (this.kicked || !this.worker.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        if (this.timer) clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      if (Number.isFinite(ms)) this.timer = setTimeout(() => this.wake?.(), Math.max(0, ms));
    });
  }

  private async loop(): Promise<void> {
    const name = this.target.name;
    let storeFailures = 0;
    while (this.worker.running) {
      this.kicked = false;
      let row: OutboxRow | undefined;
      try {
        row = (await this.o.store.unsent(name))[0];
        storeFailures = 0;
      } catch (err) {
        storeFailures += 1;
        this.o.logger.error({ channel: name, err: this.redactor.redact(errorMessage(err)) }, 'cannot read the outbox');
        this.kicked = false;
        await this.sleep(backoffDelay(storeFailures, this.o.backoff));
        continue;
      }
      if (row === undefined) {
        this.idle = true;
        for (const w of this.idleWaiters.splice(0)) w();
        await this.sleep(Infinity);
        continue;
      }
      this.idle = false;
      const wait = row.nextAttemptAt - this.o.clock();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      await this.attempt(row);
    }
    this.idle = true;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const name = this.target.name;
    try {
      await this.target.deliver(row);
    } catch (err) {
      const message = this.redactor.redact(errorMessage(err));
      const retryable = !(err instanceof DriftwatchError) || err.retryable;
      try {
        if (!retryable) {
          await this.o.store.markDead(row.id, this.o.clock(), message);
          this.o.logger.error({ channel: name, id: row.id, attempts: row.attempts + 1, err: message }, 'notification refused; giving up on it');
        } else {
          const retryAfter = err instanceof DriftwatchError ? Number(err.details.retryAfterMs ?? 0) : 0;
          const delay = backoffDelay(row.attempts + 1, this.o.backoff, retryAfter);
          await this.o.store.markFailed(row.id, this.o.clock() + delay, message);
          this.o.logger.warn({ channel: name, id: row.id, attempts: row.attempts + 1, retryInMs: delay, err: message }, 'delivery failed; will retry');
        }
      } catch (storeErr) {
        this.o.logger.error({ channel: name, err: this.redactor.redact(errorMessage(storeErr)) }, 'cannot record a delivery failure');
        await this.sleep(this.o.backoff.initialMs);
      }
      this.o.onFailure?.(row, message, !retryable);
      return;
    }
    try {
      await this.o.store.markSent(row.id, this.o.clock());
    } catch (err) {
      // Delivered but not recorded: it will be sent again (at-least-once).
      this.o.logger.error({ channel: name, id: row.id, err: this.redactor.redact(errorMessage(err)) }, 'delivered but could not mark sent');
      await this.sleep(this.o.backoff.initialMs);
    }
    this.o.logger.info({ channel: name, id: row.id }, 'notification delivered');
    this.o.onDelivered?.(row);
  }
}

export class DeliveryWorker {
  running = false;
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly o: Required<Pick<DeliveryOptions, 'store' | 'logger' | 'backoff' | 'clock'>> & DeliveryOptions;
  private readonly redactor: Redactor;
  private readonly targets: Map<string, OutboxTarget>;

  constructor(options: DeliveryOptions) {
    this.o = {
      ...options,
      logger: options.logger ?? silentLogger,
      backoff: options.backoff ?? defaultBackoff,
      clock: options.clock ?? Date.now,
    };
    this.redactor = options.redactor ?? new Redactor();
    this.targets = new Map([...options.targets].map((t) => [t.name, t]));
  }

  /** Starts one queue per target; resumes rows left unsent by an earlier run. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const orphans = new Map<string, number>();
    for (const row of await this.o.store.unsent()) {
      if (!this.targets.has(row.channel)) orphans.set(row.channel, (orphans.get(row.channel) ?? 0) + 1);
    }
    for (const [channel, count] of orphans) {
      this.o.logger.warn({ channel, count }, 'unsent notifications for a channel that is not configured; they stay in the outbox');
    }
    for (const target of this.targets.values()) {
      const q = new ChannelQueue(target, this, this.o, this.redactor);
      this.queues.set(target.name, q);
      q.start();
    }
  }

  /** New rows are in the outbox. Returns at once. */
  kick(): void {
    for (const q of this.queues.values()) q.kick();
  }

  /** Resolves when every queue has delivered (or given up on) all its rows. */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.whenIdle()));
  }

  /** Stops after the attempts in flight; unsent rows stay in the outbox for the next start. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const q of this.queues.values()) q.kick();
    await Promise.all([...this.queues.values()].map((q) => q.done));
    this.queues.clear();
  }

  /** Stops and closes the targets (sinks, producers). */
  async close(): Promise<void> {
    await this.stop();
    for (const t of this.targets.values()) await t.close?.().catch(() => undefined);
  }
}
