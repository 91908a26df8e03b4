/**
 * The DuckDB-backed EventSink. Each `write` makes one DuckDB transaction hold the batch's new
 * events, its partition's next offset, every window the batch closed (with its features and
 * keyed aggregates), the batch's late events and the watermark checkpoint. Events below the
 * stored next offset are skipped, so a batch replayed after a crash between the DuckDB commit
 * and the Kafka commit changes nothing: exactly-once results on at-least-once delivery.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ConfigError, StoreError, errorMessage } from '../errors.js';
import type { FeatureSample, NumericSample } from '../drift/types.js';
import type { WindowEngine, WindowAggregates } from '../features/engine.js';
import { makeExtractor, type Extractor } from '../features/extract.js';
import type { ClosedWindow, LateAssignment, StreamSpec } from '../features/types.js';
import type { EventSink, IngestedEvent, PartitionBatch } from '../ingest/types.js';
import { eventColumns, fieldSources, lateColumns, type PreparedEvent } from './event-rows.js';
import { prepareBatch } from './prepare.js';
import { markWindowsEvaluated, upsertDriftResults, type DriftResultRow, type WindowRef } from './evaluations.js';
import { exportParquetFiles, type ParquetExportOptions, type ParquetExportResult } from './parquet.js';
import { partitionId, restoreEngine } from './restore.js';
import { readKeyedSample, readWindowSample } from './samples.js';
import { Checkpoints } from './checkpoint.js';
import { ensureSchema } from './schema.js';
import { appendTable, inTransaction, quoteString } from './sql.js';
import { readClosedWindows, writeClosedWindows, type WindowFilter } from './window-rows.js';

export const DEFAULT_DB_PATH = './data/driftwatch.duckdb';

/**
 * Called after the transaction that closed the windows has committed (the pipeline evaluates
 * drift here, then calls recordEvaluation). `write` resolves once listeners are done, so a slow
 * listener slows ingestion rather than piling up work; a failing one is reported, not retried:
 * its windows stay in unevaluatedWindows().
 */
export interface WindowCloseListener {
  onWindowsClosed(closed: readonly ClosedWindow[]): Promise<void> | void;
}

/** A late event as handed to the late-event hook (e.g. to republish it on `<topic>.late`). */
export interface LateEvent {
  readonly event: IngestedEvent;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly watermark: number;
}

/** Best-effort, after commit: a crash before the hook finishes loses the forward (late_events keeps the record). */
export type LateEventHook = (late: readonly LateEvent[]) => Promise<void> | void;

/** Optional counters, so this module does not depend on the metrics library. */
export interface StoreMetrics {
  eventsStored?(stream: string, count: number): void;
  lateEvents?(stream: string, count: number): void;
  /** Wall-clock delay between a window's end and its close. */
  windowClosed?(stream: string, closeLatencyMs: number): void;
}

export interface StoreOptions {
  readonly streams?: readonly StreamSpec[];
  /** Wall clock (epoch ms) for idle timeouts and bookkeeping columns; injectable for tests. */
  readonly clock?: () => number;
  readonly listeners?: readonly WindowCloseListener[];
  readonly lateEventHook?: LateEventHook;
  readonly metrics?: StoreMetrics;
  /** Listener/hook failures do not fail the (already durable) write; they are reported here. Default: process warning. */
  readonly onListenerError?: (err: unknown) => void;
  /** DuckDB settings (e.g. memory_limit, threads), over DUCKDB_DEFAULTS. */
  readonly duckdb?: Readonly<Record<string, string>>;
}

/**
 * wal_autocheckpoint 64MB instead of DuckDB's 16MB: with one commit per batch the default
 * checkpoints every few batches, each rewriting the table's growing tail row group; bench/windows.ts
 * (300k events, batches of 5000) measured ~25% less CPU at 64MB, the same as at 256MB, while a
 * restart replays at most 64MB of WAL.
 */
export const DUCKDB_DEFAULTS: Readonly<Record<string, string>> = { wal_autocheckpoint: '64MB' };

interface StreamRuntime {
  readonly spec: StreamSpec;
  readonly extract: Extractor;
  readonly sources: ReturnType<typeof fieldSources>;
  /** Partitions announced by expectPartitions, re-applied after a reload. */
  readonly expected: Set<string>;
  engine: WindowEngine;
}

interface Committed {
  readonly closed: ClosedWindow[];
  readonly late: LateEvent[];
}

export class DriftStore implements EventSink {
  private readonly streams = new Map<string, StreamRuntime>();
  private readonly offsets = new Map<string, bigint>();
  private readonly checkpoints = new Checkpoints();
  private readonly listeners = new Set<WindowCloseListener>();
  private queue: Promise<unknown> = Promise.resolve();
  private batchSeq = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly options: StoreOptions,
    private readonly clock: () => number,
  ) {
    for (const l of options.listeners ?? []) this.listeners.add(l);
  }

  static async open(path: string, options: StoreOptions = {}): Promise<DriftStore> {
    const specs = options.streams ?? [];
    const names = new Set<string>();
    for (const s of specs) {
      if (!/^[A-Za-z0-9_.-]+$/.test(s.name)) throw new ConfigError(`streams.${s.name}: stream names may only use letters, digits, '_', '.', '-' (they name Parquet directories)`);
      if (names.has(s.name)) throw new ConfigError(`streams.${s.name}: duplicate stream name`);
      names.add(s.name);
    }
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, { ...DUCKDB_DEFAULTS, ...options.duckdb });
    } catch (err) {
      throw new StoreError(`cannot open DuckDB file ${path}: ${errorMessage(err)} (only one driftwatch process may open it read-write)`, {
        cause: err,
        details: { path },
      });
    }
    const conn = await instance.connect();
    const store = new DriftStore(path, instance, conn, options, options.clock ?? Date.now);
    try {
      const columns = await ensureSchema(conn, path, specs);
      for (const spec of specs) {
        const rt: StreamRuntime = {
          spec,
          extract: makeExtractor(spec),
          sources: fieldSources(spec, columns),
          expected: new Set(),
          engine: undefined as never,
        };
        store.streams.set(spec.name, rt);
      }
      await store.reload();
    } catch (err) {
      conn.closeSync();
      instance.closeSync();
      if (err instanceof ConfigError || err instanceof StoreError) throw err;
      throw new StoreError(`cannot prepare DuckDB file ${path}: ${errorMessage(err)}`, { cause: err, details: { path } });
    }
    return store;
  }

  addWindowCloseListener(listener: WindowCloseListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async write(batch: PartitionBatch): Promise<void> {
    const committed = await this.serial(() => this.writeLocked(batch));
    if (committed !== null) await this.notify(committed);
  }

  async storedOffsets(topic: string): Promise<ReadonlyMap<number, string>> {
    return this.serial(async () => {
      const rows = (await this.conn.runAndReadAll(`SELECT "partition", next_offset FROM ingest_offsets WHERE topic = ${quoteString(topic)}`)).getRows();
      return new Map(rows.map(([p, o]) => [Number(p), String(o)]));
    });
  }

  /**
   * Re-evaluates idle partitions on the wall clock and closes the windows they no longer hold
   * open. Call it from a timer (e.g. every few seconds); batches do the same on arrival.
   */
  async tick(): Promise<ClosedWindow[]> {
    const committed = await this.serial(async () => {
      const now = this.clock();
      const work: { rt: StreamRuntime; closed: WindowAggregates[]; before: number | null }[] = [];
      for (const rt of this.streams.values()) {
        const before = rt.engine.watermark;
        const closed = rt.engine.advance(now);
        if (closed.length > 0 || rt.engine.watermark !== before) work.push({ rt, closed, before });
      }
      if (work.length === 0) return null;
      const out = await this.transact(async () => {
        const all: ClosedWindow[] = [];
        for (const { rt, closed } of work) {
          all.push(...(await writeClosedWindows(this.conn, rt.spec, closed, now)));
          await this.conn.run(this.checkpoints.streamSql(rt.spec.name, rt.engine.snapshot(), [], now).join(';\n'));
        }
        return all;
      }, 'closing idle windows');
      return { closed: out, late: [] };
    });
    if (committed === null) return [];
    await this.notify(committed);
    return committed.closed;
  }

  /**
   * Tells a stream which partitions of its topic this consumer was assigned (call it on group
   * join): until each delivers an event or goes idle it holds the watermark back, so the first
   * partition to be consumed cannot make the others' backlog late. In memory only.
   */
  expectPartitions(stream: string, topic: string, partitions: readonly number[]): void {
    const rt = this.runtime(stream);
    const ids = partitions.map((p) => partitionId(topic, p));
    for (const id of ids) rt.expected.add(id);
    rt.engine.expectPartitions(ids, this.clock());
  }

  /** Current watermark of a stream (epoch ms), null before its first event. */
  watermark(stream: string): number | null {
    return this.runtime(stream).engine.watermark;
  }

  /** Windows of a stream that hold data and have not closed yet. */
  openWindows(stream: string): [start: number, end: number][] {
    return this.runtime(stream).engine.openWindows();
  }

  /** Raw values of a feature in a closed (or open) window, for KS / Wasserstein. */
  async windowSample(stream: string, start: number, end: number, feature: string): Promise<FeatureSample> {
    const spec = this.runtime(stream).spec.features.find((f) => f.name === feature);
    if (spec === undefined) throw new ConfigError(`stream '${stream}' has no feature '${feature}'`);
    return this.read((c) => readWindowSample(c, stream, start, end, feature, spec.kind));
  }

  /** Per-key values of a keyed aggregate in a closed window, as a numeric sample. */
  async keyedSample(stream: string, start: number, end: number, aggregate: string): Promise<NumericSample> {
    return this.read((c) => readKeyedSample(c, stream, start, end, aggregate));
  }

  /** Idempotent upsert of drift results (a re-run replaces rows with the same key). */
  async writeDriftResults(rows: readonly DriftResultRow[]): Promise<void> {
    await this.serial(() => this.transact(() => upsertDriftResults(this.conn, rows, this.clock()), 'writing drift results'));
  }

  async markEvaluated(windows: readonly WindowRef[]): Promise<void> {
    await this.serial(() => this.transact(() => markWindowsEvaluated(this.conn, windows, this.clock()), 'marking windows evaluated'));
  }

  /** Drift results of a window and its `evaluated_at`, in one transaction (what the pipeline should call). */
  async recordEvaluation(window: WindowRef, rows: readonly DriftResultRow[]): Promise<void> {
    await this.serial(() =>
      this.transact(async () => {
        const now = this.clock();
        await upsertDriftResults(this.conn, rows, now);
        await markWindowsEvaluated(this.conn, [window], now);
      }, 'recording an evaluation'),
    );
  }

  /** Closed windows whose evaluation was not recorded (e.g. the process died after the close): evaluate these on start. */
  async unevaluatedWindows(stream?: string): Promise<ClosedWindow[]> {
    return this.closedWindows({ unevaluated: true, ...(stream === undefined ? {} : { stream }) });
  }

  async closedWindows(filter: WindowFilter = {}): Promise<ClosedWindow[]> {
    const specs = new Map([...this.streams].map(([k, v]) => [k, v.spec]));
    return this.read((c) => readClosedWindows(c, specs, filter));
  }

  /** Exports events and closed windows to Hive-partitioned Parquet (see parquet.ts). */
  async exportParquet(dir: string, options: ParquetExportOptions = {}): Promise<ParquetExportResult> {
    const streams = [...this.streams.values()].map((s) => s.spec);
    return this.read((c) => exportParquetFiles(c, dir, streams, options));
  }

  /** A new connection to this store's database, for in-process readers (close it when done). */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private runtime(stream: string): StreamRuntime {
    const rt = this.streams.get(stream);
    if (rt === undefined) throw new ConfigError(`unknown stream '${stream}' (the store was opened with: ${[...this.streams.keys()].join(', ') || 'none'})`);
    return rt;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError(`${this.path}: the store is closed`));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.instance.connect();
    try {
      return await fn(conn);
    } catch (err) {
      if (err instanceof StoreError || err instanceof ConfigError) throw err;
      throw new StoreError(`${this.path}: read failed: ${errorMessage(err)}`, { cause: err, details: { path: this.path } });
    } finally {
      conn.closeSync();
    }
  }

  private async transact<T>(fn: () => Promise<T>, what: string, details: Record<string, unknown> = {}): Promise<T> {
    try {
      const out = await inTransaction(this.conn, fn);
      this.checkpoints.committed();
      return out;
    } catch (err) {
      this.checkpoints.rolledBack();
      // Memory may now be ahead of the database: rebuild it from what was committed.
      await this.reload().catch(() => undefined);
      throw new StoreError(`${this.path}: ${what} failed: ${errorMessage(err)}`, { cause: err, retryable: true, details: { path: this.path, ...details } });
    }
  }

  /** Loads offsets, the batch counter and every stream's open windows from the database. */
  private async reload(): Promise<void> {
    this.offsets.clear();
    const rows = (await this.conn.runAndReadAll(`SELECT topic, "partition", next_offset FROM ingest_offsets`)).getRows();
    for (const [t, p, o] of rows) this.offsets.set(partitionId(String(t), Number(p)), BigInt(String(o)));
    const seq = (await this.conn.runAndReadAll(`SELECT coalesce(max(batch_seq), 0) FROM events`)).getRows()[0]?.[0];
    this.batchSeq = Number(seq ?? 0);
    await this.checkpoints.load(this.conn);
    const now = this.clock();
    for (const rt of this.streams.values()) {
      rt.engine = await restoreEngine(this.conn, rt.spec, now);
      rt.engine.expectPartitions([...rt.expected], now);
    }
  }

  private async writeLocked(batch: PartitionBatch): Promise<Committed | null> {
    const where = `${batch.topic}[${batch.partition}]`;
    const stored = this.offsets.get(partitionId(batch.topic, batch.partition));
    const { partition: pid, next, groups } = prepareBatch(batch, stored, this.streams);
    if (groups.size === 0 && stored !== undefined && next <= stored) return null;
    const now = this.clock();
    const seq = this.batchSeq + 1;
    const work = [...groups].map(([rt, events]) => ({ rt, events, result: rt.engine.process(events.map((e) => e.engine), now) }));
    const committed = await this.transact(
      async () => {
        const closed: ClosedWindow[] = [];
        const late: LateEvent[] = [];
        const state: string[] = [];
        for (const { rt, events, result } of work) {
          await appendTable(this.conn, 'events', eventColumns(events, rt.sources, seq, result.arrivalWatermarks, now));
          await appendTable(this.conn, 'late_events', lateColumns(events, result.late, now));
          closed.push(...(await writeClosedWindows(this.conn, rt.spec, result.closed, now)));
          late.push(...result.late.map((l) => lateEvent(events, l)));
          state.push(...this.checkpoints.streamSql(rt.spec.name, rt.engine.snapshot(), [pid], now));
        }
        const nextOffset = stored === undefined || next > stored ? next : stored;
        state.push(this.checkpoints.offsetSql(batch.topic, batch.partition, nextOffset, now));
        // One call for all checkpoint statements: each round trip through the binding costs ~1-3 ms.
        await this.conn.run(state.join(';\n'));
        return { closed, late, nextOffset };
      },
      `storing batch ${where} up to offset ${batch.nextOffset}`,
      { topic: batch.topic, partition: batch.partition, nextOffset: batch.nextOffset },
    );
    this.offsets.set(pid, committed.nextOffset);
    this.batchSeq = seq;
    for (const { rt, events, result } of work) {
      this.options.metrics?.eventsStored?.(rt.spec.name, events.length);
      if (result.late.length > 0) this.options.metrics?.lateEvents?.(rt.spec.name, result.late.length);
    }
    return committed;
  }

  private async notify(c: Committed): Promise<void> {
    const report = this.options.onListenerError ?? ((err: unknown) => process.emitWarning(`driftwatch store listener failed: ${errorMessage(err)}`));
    if (c.closed.length > 0) {
      const now = this.clock();
      for (const w of c.closed) this.options.metrics?.windowClosed?.(w.stream, now - w.end);
      for (const l of this.listeners) {
        try {
          await l.onWindowsClosed(c.closed);
        } catch (err) {
          report(err);
        }
      }
    }
    if (c.late.length > 0 && this.options.lateEventHook !== undefined) {
      try {
        await this.options.lateEventHook(c.late);
      } catch (err) {
        report(err);
      }
    }
  }
}

function lateEvent(events: readonly PreparedEvent[], l: LateAssignment): LateEvent {
  return { event: (events[l.index] as PreparedEvent).event, windowStart: l.windowStart, windowEnd: l.windowEnd, watermark: l.watermark };
}
