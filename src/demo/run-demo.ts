/**
 * The demo end to end: broker → fresh topics → training set + baseline → pipeline (in this
 * process, config from examples/demo.yaml) while the transaction stream is produced → run
 * until idle → read back DLQ and retrain topics → HTML report → summary.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../config/env.js';
import { startPipeline } from '../pipeline/pipeline.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { loadReportData } from '../report/load.js';
import { renderReport } from '../report/render.js';
import { thresholdsFromTests } from '../report/thresholds.js';
import { loadRules } from '../rules/load.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import { ensureBroker } from './broker.js';
import { loadDemoConfig } from './config.js';
import { trainingSet } from './generate.js';
import { demoKafka, demoTopics, prepareTopics, produceMessages, readRetrainEvents, topicSize } from './kafka-io.js';
import { demoStream } from './stream.js';
import type { AlertLine, DemoSummary } from './summary.js';
import { producedTotals } from './summary.js';
import { buildDemoBaseline, writeTrainingParquet } from './training.js';

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOUR_MS = 3_600_000;

export interface DemoOptions {
  /** Output directory (wiped of the demo's own files first). Default DW_DEMO_DIR or <repo>/out/demo. */
  readonly outDir?: string;
  /** Default DW_DEMO_BROKERS or 127.0.0.1:9092. */
  readonly brokers?: readonly string[];
  readonly env?: Env;
  /** Valid on-time transactions in the stream (default 40,000) over `hours` of event time (default 8). */
  readonly events?: number;
  readonly hours?: number;
  readonly trainingRows?: number;
  /** Quiet time after which the pipeline is considered done (default 3 s). */
  readonly idleMs?: number;
  /** Progress lines (default: stderr). */
  readonly progress?: (line: string) => void;
  readonly progressIntervalMs?: number;
  readonly seed?: number;
}

/** Files and directories the demo writes under its output directory (and removes before a run). */
const OUTPUTS = ['driftwatch.duckdb', 'driftwatch.duckdb.wal', 'parquet', 'baseline', 'alerts.jsonl', 'report.html', 'training.parquet'];

export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const t0 = Date.now();
  const env = options.env ?? process.env;
  const say = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (msg: string): void => say(`demo [${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
  const outDir = resolve(REPO_DIR, options.outDir ?? env.DW_DEMO_DIR ?? join('out', 'demo'));
  const brokersWanted = options.brokers ?? (env.DW_DEMO_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter((b) => b !== '');
  const events = options.events ?? 40_000;
  const hours = options.hours ?? 8;
  const windowMs = 30 * 60_000;

  for (const name of OUTPUTS) await rm(join(outDir, name), { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const broker = await ensureBroker(brokersWanted, REPO_DIR, (line) => log(line));
  let pipeline: Pipeline | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    const kafka = demoKafka(broker.brokers);
    const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const topics = demoTopics(runId);
    const removed = await prepareTopics(kafka, topics, 3);
    log(`topics ${topics.transactions} (+ .dlq, retrain)${removed > 0 ? `; removed ${removed} topics of earlier demo runs` : ''}`);

    const streamStart = Math.floor((Date.now() - hours * HOUR_MS) / windowMs) * windowMs;
    const trainingRows = options.trainingRows ?? 50_000;
    const trainingPath = join(outDir, 'training.parquet');
    await writeTrainingParquet(trainingPath, trainingSet(trainingRows, (options.seed ?? 7) + 1, streamStart));
    const baseline = await buildDemoBaseline(trainingPath, join(outDir, 'baseline'));
    log(`baseline ${baseline.id.slice(0, 12)} from ${trainingRows.toLocaleString('en-US')} training rows (${trainingPath})`);

    const config = await loadDemoConfig({ repoDir: REPO_DIR, outDir, brokers: broker.brokers, topics, groupId: `driftwatch-demo-${runId}`, env });
    pipeline = await startPipeline(config);
    const running = pipeline;
    log(`pipeline started${running.opsUrl ? `; metrics at ${running.opsUrl}/metrics` : ''}`);

    const produced = { sent: 0, total: 0, done: false };
    const messages = [...demoStream({ startMs: streamStart, durationMs: hours * HOUR_MS, events, ...(options.seed !== undefined && { seed: options.seed }) })];
    produced.total = messages.length;
    ticker = setInterval(() => {
      const s = running.stats();
      const drifted = s.drifted.map((d) => d.feature).join(', ') || 'none yet';
      const sending = produced.done ? '' : `produced ${produced.sent.toLocaleString('en-US')}/${produced.total.toLocaleString('en-US')} · `;
      log(`${sending}consumed ${s.consumed.toLocaleString('en-US')} · DLQ ${s.dlq} · late ${s.lateEvents} · windows ${s.windowsClosed} closed/${s.windowsEvaluated} evaluated · drifted: ${drifted} · notifications ${s.notifications}`);
    }, options.progressIntervalMs ?? 2_000);
    ticker.unref();

    const counts = await produceMessages(kafka, topics.transactions, messages, (sent) => (produced.sent = sent));
    produced.done = true;
    log(`produced ${producedTotals(counts).total.toLocaleString('en-US')} messages; waiting until the pipeline is idle`);
    await running.settle(options.idleMs ?? 3_000, { deliveryTimeoutMs: 20_000 });
    const stats = running.stats();
    await running.stop();
    pipeline = undefined;
    clearInterval(ticker);

    const [dlqMessages, retrainEvents] = await Promise.all([topicSize(kafka, topics.dlq), readRetrainEvents(kafka, topics.retrain)]);
    const alertsFile = join(outDir, 'alerts.jsonl');
    const alerts = await readAlertLines(alertsFile);
    const reportPath = join(outDir, 'report.html');
    const rules = loadRules(config.rules.dir);
    // Shown in the report header: relative when under the working directory (no machine paths in screenshots).
    const rel = relative(process.cwd(), config.storage.duckdbPath);
    const data = await loadReportData(rel.startsWith('..') || isAbsolute(rel) ? config.storage.duckdbPath : rel, {
      stream: 'transactions',
      baseline,
      title: 'driftwatch demo: card transactions',
      thresholds: (feature, stream) => thresholdsFromTests(rules.ruleFor(stream, feature).tests),
    });
    await writeFileAtomic(reportPath, renderReport(data));

    return {
      elapsedMs: Date.now() - t0,
      brokers: broker.brokers,
      brokerStarted: broker.started,
      topic: topics.transactions,
      dlqTopic: topics.dlq,
      retrainTopic: topics.retrain,
      streamStart,
      streamEnd: streamStart + hours * HOUR_MS,
      driftFrom: streamStart + (hours * HOUR_MS) / 2,
      windowMs,
      trainingRows,
      baselineId: baseline.id,
      produced: counts,
      pipeline: stats,
      dlqMessages,
      monitored: config.streams[0]?.features ?? [],
      alertsFile,
      alerts,
      retrainEvents,
      reportPath,
      ...(running.opsUrl !== undefined && { opsUrl: running.opsUrl }),
    };
  } finally {
    clearInterval(ticker);
    await pipeline?.stop().catch(() => undefined);
    if (broker.started) {
      log('stopping the broker the demo started');
      await broker.stop().catch((err: unknown) => log(`could not stop the broker: ${String(err)}`));
    }
  }
}

/** The file channel's notifications (JSON Lines), oldest first. */
async function readAlertLines(path: string): Promise<AlertLine[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const out: AlertLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const n = JSON.parse(line) as { windowStart: number; windowEnd: number; id: string; items: AlertLine['items'] };
    out.push({ windowStart: n.windowStart, windowEnd: n.windowEnd, channel: n.id.split(':').pop() ?? '', items: n.items });
  }
  return out.sort((a, b) => a.windowEnd - b.windowEnd);
}
