/**
 * Pieces of the end-to-end tests: the event set (stable features, amount drifting, a few
 * invalid messages), real receivers (SMTP server, an HTTP server posing as the Slack
 * webhook), the config file, Kafka reads, and a Chromium render of the report.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { breakTransaction } from '../../../src/demo/stream.js';
import type { InvalidKind } from '../../../src/demo/stream.js';
import { newKafka } from '../helpers/kafka.js';
import { T0, transactions } from '../../pipeline/helpers.js';

export const MIN = 60_000;
export const WINDOW = 10 * MIN;
export const PER_WINDOW = 400;
/** Windows 0–2 stable, 3–5 with amounts ×2.5 (nothing else moves). */
export const AMOUNT_DRIFT = { amountScale: 2.5, channelShift: false } as const;
export const INVALID: readonly InvalidKind[] = ['not-json', 'truncated-json', 'missing-field', 'wrong-type', 'unknown-channel', 'empty'];
/** 6 windows of events + one event per partition at 62 min, which closes window 5. */
export const VALID_EVENTS = 6 * PER_WINDOW + 2;

export interface OutMessage {
  key: string | null;
  value: Buffer | null;
  partition: number;
}

/** The messages every end-to-end run produces (two partitions, round robin). */
export function eventMessages(): OutMessage[] {
  const out: OutMessage[] = [];
  for (let w = 0; w < 6; w++) {
    for (const tx of transactions(PER_WINDOW, 500 + w, T0 + w * WINDOW, WINDOW, w >= 3 ? AMOUNT_DRIFT : undefined)) {
      out.push({ key: tx.customer_id, value: Buffer.from(JSON.stringify(tx)), partition: out.length % 2 });
    }
    if (w === 1) {
      // Invalid messages in the middle of the stream, on both partitions.
      const [bad] = transactions(1, 900, T0 + w * WINDOW, 1);
      INVALID.forEach((kind, i) => out.push({ key: bad!.customer_id, value: breakTransaction(kind, bad!), partition: i % 2 }));
    }
  }
  for (const p of [0, 1]) {
    const [closer] = transactions(1, 950 + p, T0 + 62 * MIN, 1);
    out.push({ key: closer!.customer_id, value: Buffer.from(JSON.stringify(closer)), partition: p });
  }
  return out;
}

export async function produce(topic: string, messages: readonly OutMessage[]): Promise<void> {
  const producer = newKafka('pipeline-e2e-producer').producer({ idempotent: true });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

/** Reads `topic` from the beginning until `count` messages arrived, then half a second more. */
export async function readTopic(topic: string, count: number, timeoutMs = 20_000): Promise<ReadMessage[]> {
  const consumer = newKafka('pipeline-e2e-reader').consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 200 });
  const out: ReadMessage[] = [];
  const headers = (h: IHeaders | undefined): Record<string, string> => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, String(v)]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }: { message: KafkaMessage }) => {
        out.push({ key: message.key?.toString('utf8') ?? null, value: message.value?.toString('utf8') ?? null, headers: headers(message.headers) });
      },
    });
    const end = Date.now() + timeoutMs;
    while (out.length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
  } finally {
    await consumer.disconnect();
  }
  return out;
}

export interface Mail {
  readonly to: string[];
  readonly raw: string;
}

export async function smtpServer(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An HTTP server on 127.0.0.1 answering like a Slack incoming webhook. */
export async function slackServer(): Promise<{ url: string; posts: unknown[]; close(): Promise<void> }> {
  const posts: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/e2e-secret`,
    posts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const RULES = {
  '_defaults.yaml': `tests:
  psi: { warn: 0.15, critical: 0.3 }
  jensen_shannon: { warn: 0.15, critical: 0.3 }
  wasserstein_normed: { warn: 0.15, critical: 0.3 }
min_samples: 100
fire_after: 2
resolve_after: 2
repeat_interval: 1d
channels: ['*']
labels: { team: risk-ml }
`,
  'amount.yaml': `feature: amount
retrain: { on: critical, model: fraud-scorer }
`,
};

export interface ConfigInput {
  readonly dir: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly retrainTopic: string;
  readonly groupId: string;
  readonly baseline: string;
  readonly rules: string;
  readonly smtpPort: number;
  readonly slackUrl: string;
}

/** Writes the driftwatch.yaml of one run; the Slack URL comes through ${E2E_SLACK_URL}. */
export async function writeConfig(c: ConfigInput): Promise<string> {
  const path = join(c.dir, 'driftwatch.yaml');
  await mkdir(c.dir, { recursive: true });
  await writeFile(
    path,
    `kafka:
  brokers: ${c.brokers.join(',')}
  group_id: ${c.groupId}
  from_beginning: false
streams:
  - name: tx
    topic: ${c.topic}
    encoding: json
    schema: ${join(process.cwd(), 'schemas', 'transactions.schema.json')}
    event_time_field: event_time
    windows: { size: 10m, allowed_lateness: 1m, idle_timeout: 10m }
    features: [amount, channel, country, customer_age]
    categorical: [channel, country]
    baseline: ${c.baseline}
storage:
  duckdb: ${join(c.dir, 'dw.duckdb')}
  parquet_dir: ${join(c.dir, 'parquet')}
rules:
  dir: ${c.rules}
alerts:
  channels:
    slack:
      type: slack
      webhook_url: \${E2E_SLACK_URL}
    email:
      type: email
      host: 127.0.0.1
      port: ${c.smtpPort}
      secure: false
      from: driftwatch@example.test
      to: [oncall@example.test]
retrain:
  topic: ${c.retrainTopic}
http:
  host: 127.0.0.1
  port: 0
logging:
  level: info
`,
  );
  return path;
}

const CHROMIUM = process.env.DW_CHROMIUM ?? '/usr/bin/chromium';

export interface RenderedReport {
  readonly sections: number;
  readonly charts: number;
  readonly drawnBars: number;
  readonly problems: readonly string[];
  readonly requests: readonly string[];
}

/**
 * Opens an HTML report in headless Chromium (as test/report/browser.test.ts does) and counts
 * what was drawn; with `screenshot`, saves the top of the page down to the first feature.
 */
export async function renderInChromium(htmlPath: string, screenshot?: string): Promise<RenderedReport> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set DW_CHROMIUM)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const counts = await page.$$eval('section.feature', (els) => ({
      sections: els.length,
      charts: els.reduce((n, s) => n + s.querySelectorAll('svg.chart').length, 0),
      drawnBars: els.reduce(
        (n, s) => n + [...s.querySelectorAll('rect.bar-current')].filter((r) => (r as unknown as { getBBox(): { height: number } }).getBBox().height > 0).length,
        0,
      ),
    }));
    if (screenshot !== undefined) {
      const bottom = await page.$eval('section.feature', (e) => e.getBoundingClientRect().bottom + (globalThis as unknown as { scrollY: number }).scrollY);
      await page.screenshot({ path: screenshot, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: Math.ceil(bottom + 12) } });
    }
    return { ...counts, problems, requests };
  } finally {
    await browser.close();
  }
}
