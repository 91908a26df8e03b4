/** Shared pieces of the alert tests: a temp DuckDB file, window results, a local webhook server. */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AlertLogger, AlertNotification, AlertSink, WindowResults } from '../../src/alerts/types.js';
import { NotifyError } from '../../src/errors.js';
import { evaluateWindow } from '../../src/rules/evaluate.js';
import type { RuleSet } from '../../src/rules/types.js';
import { drift } from '../rules/helpers.js';
import type { DriftValues } from '../rules/helpers.js';

export const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
export const WINDOW_MS = 5 * 60_000;

export function tempPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'dw-alerts-')), name);
}

export interface Db {
  readonly conn: DuckDBConnection;
  close(): void;
}

/** Opens (or reopens) a DuckDB file; `close` releases it so a "restart" can open it again. */
export async function openDb(path: string): Promise<Db> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Window `index` (0-based, 5 minutes each) of `stream` with the given per-feature metrics, evaluated by `rules`. */
export function windowOf(rules: RuleSet, stream: string, index: number, features: Record<string, DriftValues>, extra: Partial<WindowResults> = {}): WindowResults {
  const windowStart = T0 + index * WINDOW_MS;
  const evaluated = evaluateWindow(rules, stream, Object.entries(features).map(([name, v]) => drift(name, v)));
  return {
    stream,
    windowStart,
    windowEnd: windowStart + WINDOW_MS,
    results: evaluated.map((e) => ({ feature: e.feature, drift: e.drift, evaluation: e.evaluation })),
    ...extra,
  };
}

/** An in-process sink that records what it got (our own interface, not a library mock). */
export class RecordingSink implements AlertSink {
  readonly type = 'recording';
  readonly sent: AlertNotification[] = [];
  failures = 0;

  constructor(readonly name: string) {}

  async send(n: AlertNotification): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new NotifyError(`recording sink ${this.name}: failing on purpose`, { retryable: true });
    }
    this.sent.push(n);
  }
}

export interface LogLine {
  level: string;
  msg: string;
  obj: Record<string, unknown>;
}

export function memoryLogger(): AlertLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', msg, obj }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg, obj }),
    error: (obj, msg) => lines.push({ level: 'error', msg, obj }),
  };
}

export interface ReceivedRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the server does with a request: reply, or hang (never answer). */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface WebhookServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Replies for the next requests, in order; after them every request gets the default reply. */
  script(...replies: Reply[]): void;
  /** The reply when nothing is scripted (initially 200 "ok"). */
  setDefault(reply: Reply): void;
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1:<random port> standing in for Slack or GitHub. */
export async function webhookServer(path = '/services/T000/B000/s3cr3tT0k3nXYZ'): Promise<WebhookServer> {
  const requests: ReceivedRequest[] = [];
  const queue: Reply[] = [];
  let fallback: Reply = { status: 200, body: 'ok' };
  const hanging: ServerResponse[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of waiters.filter((x) => requests.length >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const reply = queue.shift() ?? fallback;
      if (reply === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...(reply.headers ?? {}) });
      res.end(reply.body ?? (reply.status < 300 ? 'ok' : 'error'));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    script: (...replies) => queue.push(...replies),
    setDefault: (reply) => {
      fallback = reply;
    },
    waitFor: (n, timeoutMs = 15_000) =>
      requests.length >= n
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${n} requests, got ${requests.length}`)), timeoutMs);
            waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
          }),
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `check` returns true. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The secret part of the fake Slack webhook URL; tests assert it never reaches logs. */
export const SLACK_SECRET = 's3cr3tT0k3nXYZ';

/** A fake Slack webhook closed by the caller's cleanup list. */
export async function slackServer(cleanups: Array<() => Promise<void> | void>): Promise<WebhookServer> {
  const s = await webhookServer(`/services/T0001/B0001/${SLACK_SECRET}`);
  cleanups.push(() => s.close());
  return s;
}
