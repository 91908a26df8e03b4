/**
 * `driftwatch run` end to end against the real broker: stable features + amount drifting + a
 * few invalid messages → one grouped alert on a real SMTP server and one on an HTTP server
 * posing as the Slack webhook, one retrain event, the invalid messages on the DLQ, counters on
 * /metrics, drift_results in DuckDB, and a report that renders. Once in-process through the
 * pipeline API, once as a child process (`--until-idle`), once stopped by SIGTERM.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../../src/baseline/types.js';
import { loadConfig } from '../../../src/config/load.js';
import { startPipeline } from '../../../src/pipeline/pipeline.js';
import { createLogger } from '../../../src/pipeline/logger.js';
import type { RetrainEvent } from '../../../src/retrain/types.js';
import { runCli } from '../../cli/run-cli.js';
import { T0, baselineDir, tempDir, transactions } from '../../pipeline/helpers.js';
import { rulesDir } from '../../rules/helpers.js';
import { createTopic, testBrokers, uniqueTopic } from '../helpers/kafka.js';
import { INVALID, RULES, VALID_EVENTS, WINDOW, eventMessages, produce, readTopic, renderInChromium, slackServer, smtpServer, writeConfig } from './support.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
let baseline: Baseline;
let baselinePath: string;
let rules: string;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(async () => {
  const dir = await tempDir('dw-e2e-');
  ({ baseline, path: baselinePath } = await baselineDir(dir, transactions(6_000, 21, T0 - 30 * 86_400_000, 30 * 86_400_000)));
  rules = rulesDir(RULES);
});

interface Run {
  dir: string;
  config: string;
  topic: string;
  dlq: string;
  retrain: string;
  smtp: Awaited<ReturnType<typeof smtpServer>>;
  slack: Awaited<ReturnType<typeof slackServer>>;
}

/** Fresh topics with the events on them, receivers, and a config file pointing at all of it. */
async function prepareRun(name: string): Promise<Run> {
  const dir = await tempDir(`dw-e2e-${name}-`);
  const topic = uniqueTopic(`e2e-${name}`);
  const retrain = uniqueTopic(`e2e-${name}-retrain`);
  await createTopic(topic, 2);
  await createTopic(`${topic}.dlq`, 1);
  await createTopic(retrain, 1);
  await produce(topic, eventMessages());
  const smtp = await smtpServer();
  const slack = await slackServer();
  cleanups.push(() => smtp.close(), () => slack.close());
  const config = await writeConfig({
    dir,
    brokers: testBrokers(),
    topic,
    retrainTopic: retrain,
    groupId: `e2e-${name}-${Date.now()}`,
    baseline: baselinePath,
    rules,
    smtpPort: smtp.port,
    slackUrl: slack.url,
  });
  return { dir, config, topic, dlq: `${topic}.dlq`, retrain, smtp, slack };
}

async function query(db: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** What every run must have produced, whichever way it was started. */
async function expectOutcome(run: Run): Promise<void> {
  // Exactly one grouped notification per channel, about amount only.
  expect(run.smtp.mails).toHaveLength(1);
  expect(run.smtp.mails[0]!.to).toEqual(['oncall@example.test']);
  expect(run.smtp.mails[0]!.raw).toContain('amount');
  for (const stable of ['channel', 'country', 'customer_age']) expect(run.smtp.mails[0]!.raw, stable).not.toMatch(new RegExp(`\\b${stable}\\b`));
  expect(run.slack.posts).toHaveLength(1);
  const slackText = JSON.stringify(run.slack.posts[0]);
  expect(slackText).toContain('amount');
  expect(slackText).not.toContain('customer_age');

  const [retrain, dlq] = await Promise.all([readTopic(run.retrain, 1), readTopic(run.dlq, INVALID.length)]);
  expect(retrain).toHaveLength(1);
  const event = JSON.parse(retrain[0]!.value!) as RetrainEvent;
  expect(event).toMatchObject({ model: 'fraud-scorer', reason: 'critical_drift', stream: 'tx', baseline_id: baseline.id });
  expect(event.drifted_features.map((f) => f.feature)).toEqual(['amount']);
  expect(event.window.start_ms).toBe(T0 + 4 * WINDOW);
  expect(event.parquet_paths.length).toBeGreaterThan(0);
  expect(dlq).toHaveLength(INVALID.length);
  expect(new Set(dlq.map((m) => m.headers['driftwatch.error.topic']))).toEqual(new Set([run.topic]));
  expect(dlq.every((m) => ['decode', 'validate'].includes(m.headers['driftwatch.error.stage'] ?? ''))).toBe(true);

  const db = join(run.dir, 'dw.duckdb');
  const results = await query(db, `SELECT feature, count(DISTINCT window_start)::INT, max(CASE status WHEN 'critical' THEN 2 WHEN 'warn' THEN 1 ELSE 0 END)::INT FROM drift_results GROUP BY 1 ORDER BY 1`);
  expect(results).toEqual([
    ['amount', 6, 2],
    ['channel', 6, 0],
    ['country', 6, 0],
    ['customer_age', 6, 0],
  ]);
  expect(await query(db, `SELECT count(*)::INT FROM windows WHERE evaluated_at IS NULL`)).toEqual([[0]]);
  expect(await query(db, `SELECT feature, state, severity FROM alerts WHERE state <> 'ok' ORDER BY 1`)).toEqual([['amount', 'firing', 'critical']]);
}

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((kv) => l.includes(kv)));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('driftwatch run (in-process)', () => {
  it('ingests, windows, evaluates and alerts once per channel; /metrics and the report show it', async () => {
    const run = await prepareRun('api');
    const config = await loadConfig(run.config, { env: { E2E_SLACK_URL: run.slack.url } });
    const logs: string[] = [];
    const pipeline = await startPipeline(config, { fromBeginning: true, logger: createLogger({ level: 'info', destination: { write: (s: string) => void logs.push(s) } }) });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await pipeline.stop();
    });
    expect(await pipeline.settle(1_500, { deliveryTimeoutMs: 15_000 })).toBe(true);

    // Scraped while the pipeline still runs.
    const metrics = await (await fetch(`${pipeline.opsUrl}/metrics`)).text();
    expect(metricValue(metrics, 'driftwatch_events_valid_total', 'stream="tx"')).toBe(VALID_EVENTS);
    expect(metricValue(metrics, 'driftwatch_events_consumed_total', 'stream="tx"')).toBe(VALID_EVENTS + INVALID.length);
    expect(metricValue(metrics, 'driftwatch_dlq_messages_total', 'stream="tx"')).toBe(INVALID.length);
    const invalid = metrics.split('\n').filter((l) => l.startsWith('driftwatch_events_invalid_total{'));
    expect(invalid.reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBe(INVALID.length);
    expect(metricValue(metrics, 'driftwatch_alerts_fired_total', 'feature="amount",severity="critical"')).toBe(1);
    expect(metrics).not.toMatch(/driftwatch_alerts_fired_total\{[^}]*feature="(channel|country|customer_age)"/);
    expect(metricValue(metrics, 'driftwatch_notifications_sent_total', 'channel="slack"')).toBe(1);
    expect(metricValue(metrics, 'driftwatch_notifications_sent_total', 'channel="email"')).toBe(1);
    expect(metricValue(metrics, 'driftwatch_drift_status', 'feature="amount"')).toBe(2);
    expect(metricValue(metrics, 'driftwatch_drift_status', 'feature="country"')).toBe(0);
    expect(metricValue(metrics, 'driftwatch_drift_value', 'feature="amount",metric="psi"')).toBeGreaterThan(0.3);
    expect(metrics).toMatch(/driftwatch_window_close_latency_seconds_count\{stream="tx"\} 6/);
    const ready = await fetch(`${pipeline.opsUrl}/readyz`);
    expect(ready.status).toBe(200);

    const stats = pipeline.stats();
    expect(stats).toMatchObject({ valid: VALID_EVENTS, invalid: INVALID.length, dlq: INVALID.length, windowsClosed: 6, windowsEvaluated: 6, evaluationFailures: 0 });
    expect(stats.drifted.map((d) => [d.feature, d.worst, d.windows])).toEqual([['amount', 'critical', 3]]);
    await pipeline.stop();
    stopped = true;
    await expectOutcome(run);

    // JSON log lines only, and never the webhook secret.
    const all = logs.join('');
    expect(all).not.toContain('e2e-secret');
    expect(logs.every((l) => typeof JSON.parse(l) === 'object')).toBe(true);
    expect(logs.some((l) => l.includes('"msg":"window evaluated"'))).toBe(true);

    const html = join(run.dir, 'report.html');
    const cli = await runCli(['report', '--db', join(run.dir, 'dw.duckdb'), '--baseline', baselinePath, '--rules', rules, '--out', html]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('4 features (1 drifted)');
    const page = await readFile(html, 'utf8');
    expect(page.match(/<svg class="chart histogram"/g)).toHaveLength(4);
    expect(page.match(/<svg class="chart series metric-psi"/g)).toHaveLength(4);
    expect(page).toContain('<svg class="chart timeline"');
    const rendered = await renderInChromium(html);
    expect(rendered.problems).toEqual([]);
    expect(rendered.requests).toHaveLength(1);
    expect(rendered.sections).toBe(4);
    expect(rendered.charts).toBeGreaterThanOrEqual(4 * 4);
    expect(rendered.drawnBars).toBeGreaterThan(10);
  });
});

/** Runs the CLI from source in a child process; collects its output. */
function spawnCli(args: readonly string[], env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => out, stderr: () => err, exit };
}

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('driftwatch run (child process)', () => {
  it('--until-idle: consumes, alerts, exits 0; /metrics answers while it runs', async () => {
    const run = await prepareRun('cli');
    const cli = spawnCli(['run', '--config', run.config, '--until-idle', '4s', '--from-beginning'], { E2E_SLACK_URL: run.slack.url });
    const opsUrl = await waitFor('the ops server URL in the logs', 60_000, () => {
      const started = logLines(cli.stderr()).find((l) => l.msg === 'pipeline started');
      return started === undefined ? undefined : String(started.ops);
    });
    const scraped = await waitFor('every valid event on /metrics', 60_000, async () => {
      const text = await fetch(`${opsUrl}/metrics`).then((r) => r.text(), () => '');
      return metricValue(text, 'driftwatch_events_valid_total', 'stream="tx"') === VALID_EVENTS ? text : undefined;
    });
    expect(metricValue(scraped, 'driftwatch_dlq_messages_total', 'stream="tx"')).toBe(INVALID.length);
    expect(await cli.exit, cli.stderr()).toBe(0);

    const logs = logLines(cli.stderr());
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['pipeline started', 'no new events; closing the windows the watermark allows', 'stopped']));
    expect(logs.filter((l) => l.msg === 'window evaluated')).toHaveLength(6);
    expect(cli.stderr()).not.toContain('e2e-secret');
    expect(cli.stdout()).toBe('');
    await expectOutcome(run);
  });

  it('stops gracefully on SIGTERM: finishes, commits, closes the store, exits 0', async () => {
    const run = await prepareRun('sigterm');
    const cli = spawnCli(['run', '--config', run.config, '--from-beginning', '--log-level', 'info'], { E2E_SLACK_URL: run.slack.url });
    await waitFor('all windows evaluated', 60_000, () => (logLines(cli.stderr()).filter((l) => l.msg === 'window evaluated').length >= 6 ? true : undefined));
    cli.child.kill('SIGTERM');
    expect(await cli.exit, cli.stderr()).toBe(0);
    const logs = logLines(cli.stderr());
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['signal received; stopping gracefully', 'ingest: stopped', 'stopped']));
    // The store was closed cleanly: another process can open it read-write at once, and the offsets are in it.
    const offsets = await query(join(run.dir, 'dw.duckdb'), `SELECT sum(next_offset)::INT FROM ingest_offsets`);
    expect(offsets).toEqual([[VALID_EVENTS + INVALID.length]]);
    await expectOutcome(run);
  });
});

