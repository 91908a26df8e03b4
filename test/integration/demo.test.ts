/**
 * The demo (`npm run demo`) against the test broker, in this process: its summary numbers add
 * up, drift shows where it was planted and nowhere else, and the report renders in Chromium.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR, runDemo } from '../../src/demo/run-demo.js';
import { InvalidKinds, breakTransaction, demoStream } from '../../src/demo/stream.js';
import { formatSummary, producedTotals } from '../../src/demo/summary.js';
import { loadDemoConfig, optionalChannels } from '../../src/demo/config.js';
import { makeTransaction, seededRandom } from '../../src/demo/generate.js';
import { demoTopics } from '../../src/demo/kafka-io.js';
import { createStreamProcessor } from '../../src/ingest/stream.js';
import { tempDir } from '../pipeline/helpers.js';
import { testBrokers } from './helpers/kafka.js';
import { renderInChromium } from './pipeline/support.js';

describe('demo stream', () => {
  it('breaks messages in ways the real ingest refuses, and keeps valid ones valid', async () => {
    const processor = createStreamProcessor({ name: 'd', topic: 'd', codec: 'json', schema: join(REPO_DIR, 'schemas', 'transactions.schema.json'), eventTimeField: 'event_time' });
    const tx = makeTransaction(seededRandom(3), 1, Date.UTC(2026, 10, 23, 12));
    const kinds = Object.values(InvalidKinds);
    const values = [Buffer.from(JSON.stringify(tx)), ...kinds.map((k) => breakTransaction(k, tx))];
    await processor.prepare(values);
    const results = values.map((value, i) => processor.process({ key: null, value, timestamp: '0', offset: String(i) }, 0));
    expect(results[0]!.ok).toBe(true);
    results.slice(1).forEach((r, i) => expect(r.ok, kinds[i]).toBe(false));
    // Several stages and reason classes, not one failure mode nine times.
    const failures = results.slice(1).flatMap((r) => (r.ok ? [] : [`${r.stage}/${r.reasonClass}`]));
    expect(new Set(failures).size).toBeGreaterThanOrEqual(4);
  });

  it('has drift from the middle on, ~1% invalid of every kind, and a few long-delayed events', () => {
    const start = Date.UTC(2026, 10, 23, 0);
    const hour = 3_600_000;
    const messages = [...demoStream({ startMs: start, durationMs: 8 * hour, events: 20_000 })];
    const counts = producedTotals(Object.fromEntries(Object.values(InvalidKinds).map((k) => [k, messages.filter((m) => m.kind === k).length])));
    expect(counts.invalidKinds).toBe(Object.values(InvalidKinds).length);
    expect(counts.invalid / 20_000).toBeGreaterThan(0.007);
    expect(counts.invalid / 20_000).toBeLessThan(0.013);
    const late = messages.filter((m) => m.kind === 'late');
    expect(late.length).toBeGreaterThan(30);
    const valid = messages.filter((m) => m.kind === 'valid').map((m) => JSON.parse(m.value!.toString('utf8')) as { amount: number; channel: string; event_time: number });
    expect(valid).toHaveLength(20_000);
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const before = valid.filter((v) => v.event_time < start + 4 * hour);
    const after = valid.filter((v) => v.event_time >= start + 4 * hour);
    expect(median(after.map((v) => v.amount)) / median(before.map((v) => v.amount))).toBeGreaterThan(1.5);
    const online = (xs: typeof valid): number => xs.filter((v) => v.channel === 'online').length / xs.length;
    expect(online(after) - online(before)).toBeGreaterThan(0.15);
    // Event times stay within the stream, late ones far behind their neighbours.
    expect(valid.every((v) => v.event_time >= start && v.event_time < start + 8 * hour)).toBe(true);
  });
});

describe('demo config', () => {
  it('is examples/demo.yaml through the normal loader, with this run’s topics, group and output dir', async () => {
    const topics = demoTopics('run1');
    const config = await loadDemoConfig({ repoDir: REPO_DIR, outDir: '/tmp/dw-demo-x', brokers: ['127.0.0.1:1'], topics, groupId: 'g1', env: {} });
    expect(config.source).toBe(join(REPO_DIR, 'examples', 'demo.yaml'));
    expect(config.kafka).toMatchObject({ brokers: ['127.0.0.1:1'], groupId: 'g1', fromBeginning: true });
    expect(config.streams[0]).toMatchObject({ topic: topics.transactions, dlqTopic: `${topics.transactions}.dlq`, baseline: '/tmp/dw-demo-x/baseline' });
    expect(config.streams[0]!.windows).toMatchObject({ sizeMs: 1_800_000, slideMs: 1_800_000, allowedLatenessMs: 120_000 });
    expect(config.storage.duckdbPath).toBe('/tmp/dw-demo-x/driftwatch.duckdb');
    expect(config.rules.dir).toBe(join(REPO_DIR, 'rules'));
    expect(config.retrain).toMatchObject({ enabled: true, topic: topics.retrain });
    expect(Object.keys(config.alerts.channels)).toEqual(['audit']);
  });

  it('adds Slack and email channels when the environment has their settings', async () => {
    expect(optionalChannels({})).toEqual([]);
    const env = { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x', SMTP_HOST: 'mail.local', SMTP_PORT: '2525', SMTP_TO: 'a@x.test, b@x.test', SMTP_PASSWORD: 'pw' };
    expect(optionalChannels(env)).toEqual([
      { type: 'slack', name: 'slack', webhookUrl: env.SLACK_WEBHOOK_URL },
      { type: 'email', name: 'email', host: 'mail.local', port: 2525, secure: false, passwordEnv: 'SMTP_PASSWORD', from: 'driftwatch-demo@localhost', to: ['a@x.test', 'b@x.test'] },
    ]);
    const config = await loadDemoConfig({ repoDir: REPO_DIR, outDir: '/tmp/dw-demo-x', brokers: ['127.0.0.1:1'], topics: demoTopics('run2'), groupId: 'g2', env });
    expect(Object.keys(config.alerts.channels).sort()).toEqual(['audit', 'email', 'slack']);
    expect([...config.alerts.defaultChannels].sort()).toEqual(['audit', 'email', 'slack']);
  });
});

describe('npm run demo', () => {
  it('runs end to end on the test broker and reports sane numbers', async () => {
    const outDir = await tempDir('dw-demo-');
    const progress: string[] = [];
    const summary = await runDemo({ outDir, brokers: testBrokers(), env: { PATH: process.env.PATH }, progress: (l) => progress.push(l), progressIntervalMs: 1_000 });
    const text = formatSummary(summary);
    const p = producedTotals(summary.produced);
    const s = summary.pipeline;

    expect(summary.brokerStarted).toBe(false);
    expect(p.valid).toBe(40_000);
    expect(s.consumed).toBe(p.total);
    expect(s.valid).toBe(p.valid + p.late);
    expect(s.invalid).toBe(p.invalid);
    expect(s.dlq).toBe(p.invalid);
    expect(summary.dlqMessages).toBe(p.invalid);
    expect(p.invalid / p.valid).toBeGreaterThan(0.007);
    expect(p.invalidKinds).toBe(Object.values(InvalidKinds).length);
    expect(s.lateEvents).toBeGreaterThan(0);
    expect(s.lateEvents).toBeLessThanOrEqual(p.late);
    // 8 h of 30-minute windows; the last stays open (the watermark has not passed its end).
    expect(s.windowsClosed).toBe(15);
    expect(s.windowsEvaluated).toBe(15);
    expect(s.evaluationFailures).toBe(0);

    // Drift exactly where it was planted (card_present moves with the channel mix), from 4 h on.
    expect(s.drifted.map((d) => d.feature).sort()).toEqual(['amount', 'card_present', 'channel']);
    for (const d of s.drifted) {
      expect(d.firstWindowStart, d.feature).toBe(summary.driftFrom);
      expect(d.windows, d.feature).toBeGreaterThanOrEqual(6);
    }
    expect(summary.alerts.length).toBeGreaterThanOrEqual(1);
    expect(summary.alerts[0]!.items.map((i) => i.feature).sort()).toEqual(['amount', 'card_present', 'channel']);
    expect(summary.alerts.every((a) => a.windowStart >= summary.driftFrom)).toBe(true);
    expect(summary.retrainEvents).toHaveLength(1);
    expect(summary.retrainEvents[0]).toMatchObject({ model: 'fraud-scorer', reason: 'critical_drift', baseline_id: summary.baselineId });

    const alertsFile = await readFile(summary.alertsFile, 'utf8');
    expect(alertsFile.trim().split('\n')).toHaveLength(summary.alerts.length);
    expect(text).toContain(`${summary.alerts.length} notification`);
    expect(text).toContain('report');
    expect(progress.some((l) => /consumed [\d,]+ · DLQ/.test(l))).toBe(true);

    expect(summary.reportPath).toBe(join(outDir, 'report.html'));
    expect((await stat(summary.reportPath)).size).toBeGreaterThan(50_000);
    const shot = join(outDir, 'report.png');
    const rendered = await renderInChromium(summary.reportPath, shot);
    expect(rendered.problems).toEqual([]);
    expect(rendered.requests).toHaveLength(1);
    expect(rendered.sections).toBe(8);
    expect(rendered.drawnBars).toBeGreaterThan(40);
    expect((await stat(shot)).size).toBeGreaterThan(50_000);
  });
});
