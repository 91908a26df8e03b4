import { afterEach, describe, expect, it } from 'vitest';
import { SlackSink } from '../../../src/alerts/channels/slack.js';
import { AlertManager } from '../../../src/alerts/manager.js';
import { Redactor } from '../../../src/alerts/redact.js';
import { loadRules } from '../../../src/rules/load.js';
import { rulesDir } from '../../rules/helpers.js';
import { SLACK_SECRET, memoryLogger, openDb, slackServer, tempPath, windowOf } from '../helpers.js';
import type { Db, WebhookServer } from '../helpers.js';

// The Slack channel behind the outbox and delivery worker (real DuckDB file, real HTTP server).
const SECRET = SLACK_SECRET;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const server = (): Promise<WebhookServer> => slackServer(cleanups);

const rules1 = () => loadRules(rulesDir({ '_defaults.yaml': 'fire_after: 1\nresolve_after: 1\n' }));

async function manager(path: string, url: string, logger = memoryLogger()) {
  const db: Db = await openDb(path);
  const slack = new SlackSink({ name: 'slack', webhookUrl: url, timeoutMs: 400, minIntervalMs: 1000 });
  const m = await AlertManager.open({
    conn: db.conn,
    rules: rules1(),
    sinks: [slack],
    backoff: { initialMs: 50, maxMs: 400, factor: 2 },
    redactor: new Redactor([url]),
    logger,
  });
  const close = async () => {
    await m.close();
    db.close();
  };
  cleanups.push(close);
  return { m, db, logger, close };
}

describe('Slack channel through the outbox', () => {
  it('through the outbox: honours Retry-After, retries 500 and a hang, keeps ≥ 1 s between messages, redacts logs', async () => {
    const s = await server();
    // 1st message: 429 (Retry-After 1 s) → 500 → hang → ok. 2nd message: ok.
    s.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 500 }, 'hang');
    const x = await manager(tempPath('s.duckdb'), s.url);
    const rules = rules1();
    await x.m.onWindowEvaluated(windowOf(rules, 'tx', 0, { amount: { psi: 0.3 } }));
    await x.m.onWindowEvaluated(windowOf(rules, 'tx', 1, { amount: { psi: 0.01 } })); // resolved
    await s.waitFor(5, 15_000);
    await x.m.worker.idle();
    const r = s.requests;
    expect(r).toHaveLength(5);
    // Retry-After honoured: the retry came ≥ 1 s after the 429.
    expect(r[1]!.at - r[0]!.at).toBeGreaterThanOrEqual(990);
    // The firing message, delivered on the 4th try; then the resolved one.
    const bodies = r.map((q) => JSON.parse(q.body) as { text: string });
    expect(new Set(bodies.slice(0, 4).map((b) => b.text)).size).toBe(1);
    expect(bodies[3]!.text).toMatch(/^\[CRITICAL\]/);
    expect(bodies[4]!.text).toMatch(/^\[RESOLVED\] tx: 1 feature resolved/);
    // Two delivered messages at least 1 s apart.
    expect(r[4]!.at - r[3]!.at).toBeGreaterThanOrEqual(990);
    const warnings = x.logger.lines.filter((l) => l.level === 'warn');
    expect(warnings.length).toBe(3);
    const logged = JSON.stringify(x.logger.lines);
    expect(logged).not.toContain(SECRET);
    const outbox = (await x.db.conn.runAndReadAll('SELECT id, attempts, sent_at, last_error FROM outbox ORDER BY seq')).getRowObjectsJS();
    expect(outbox.map((o) => Number(o.attempts))).toEqual([4, 1]);
    expect(outbox.every((o) => o.sent_at !== null && o.last_error === null)).toBe(true);
  }, 20_000);

  it('no duplicates across a restart: the delivered one is not resent, the unsent one resumes', async () => {
    const s = await server();
    const path = tempPath('r.duckdb');
    const rules = rules1();
    const a = await manager(path, s.url);
    await a.m.onWindowEvaluated(windowOf(rules, 'tx', 0, { amount: { psi: 0.3 } }));
    await s.waitFor(1);
    await a.m.worker.idle(); // marked sent
    s.setDefault({ status: 500 }); // Slack goes down
    await a.m.onWindowEvaluated(windowOf(rules, 'tx', 1, { amount: { psi: 0.01 } }));
    await s.waitFor(2);
    await a.close();
    cleanups.splice(cleanups.indexOf(a.close), 1);
    const before = s.requests.length;

    s.setDefault({ status: 200, body: 'ok' }); // … and comes back
    const b = await manager(path, s.url);
    await s.waitFor(before + 1);
    await b.m.worker.idle();
    await new Promise((r) => setTimeout(r, 200)); // nothing else trickles in
    const after = s.requests.slice(before).map((q) => (JSON.parse(q.body) as { text: string }).text);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^\[RESOLVED\]/);
    const delivered = s.requests.map((q) => (JSON.parse(q.body) as { text: string }).text);
    expect(delivered.filter((t) => t.startsWith('[CRITICAL]'))).toHaveLength(1);
    const outbox = (await b.db.conn.runAndReadAll('SELECT sent_at FROM outbox')).getRowObjectsJS();
    expect(outbox.every((o) => o.sent_at !== null)).toBe(true);
  });
});
