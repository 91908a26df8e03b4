import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.js';
import { Redactor } from '../../src/alerts/redact.js';
import { NotifyError } from '../../src/errors.js';
import { buildRetrainEvent } from '../../src/retrain/event.js';
import { HttpDispatchTarget } from '../../src/retrain/http-dispatch.js';
import type { RetrainEvent } from '../../src/retrain/types.js';
import { loadRules } from '../../src/rules/load.js';
import { memoryLogger, openDb, tempPath, webhookServer, windowOf } from '../alerts/helpers.js';
import type { WebhookServer } from '../alerts/helpers.js';
import { drift, rulesDir } from '../rules/helpers.js';

const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJklmnop';
const env = { GH_TOKEN: TOKEN };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<WebhookServer> {
  const s = await webhookServer('/repos/acme/fraud-model/dispatches');
  cleanups.push(() => s.close());
  return s;
}

const event: RetrainEvent = buildRetrainEvent({
  model: 'fraud-scorer',
  reason: 'critical_drift',
  stream: 'tx',
  windowStart: 0,
  windowEnd: 300_000,
  features: [{ feature: 'amount', severity: 'critical', breaches: [], drift: drift('amount', { psi: 0.5 }) }],
  driftedShare: 1,
  createdAt: 301_000,
});

describe('HttpDispatchTarget (GitHub repository_dispatch shape)', () => {
  it('POSTs event_type and the event in client_payload with the bearer token from the env', async () => {
    const s = await server();
    s.setDefault({ status: 204 });
    await new HttpDispatchTarget({ url: s.url, tokenEnv: 'GH_TOKEN', env }).dispatch(event);
    const req = s.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/repos/acme/fraud-model/dispatches');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers.accept).toBe('application/vnd.github+json');
    expect(req.headers['idempotency-key']).toBe(event.idempotency_key);
    const body = JSON.parse(req.body) as { event_type: string; client_payload: Record<string, unknown> };
    expect(body.event_type).toBe('driftwatch-retrain');
    expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10); // GitHub's limit
    expect(body.client_payload).toMatchObject({ model: 'fraud-scorer', reason: 'critical_drift', idempotency_key: event.idempotency_key });
    expect(body.client_payload.event).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it('classifies failures and never shows the token', async () => {
    const s = await server();
    s.script({ status: 500 }, { status: 429, headers: { 'retry-after': '7' } }, { status: 401, body: `Bad credentials for ${TOKEN}` }, { status: 422 });
    const t = new HttpDispatchTarget({ url: s.url, tokenEnv: 'GH_TOKEN', env });
    const errs: NotifyError[] = [];
    for (let i = 0; i < 4; i++) errs.push((await t.dispatch(event).catch((e: unknown) => e)) as NotifyError);
    expect(errs.map((e) => e.retryable)).toEqual([true, true, false, false]);
    expect(errs[1]!.details.retryAfterMs).toBe(7000);
    expect(errs[2]!.message).toContain('HTTP 401 Bad credentials for [REDACTED]');
    for (const e of errs) expect(`${e.message} ${JSON.stringify(e.details)}`).not.toContain(TOKEN);
  });

  it('a missing token variable is named in the error', async () => {
    const s = await server();
    await expect(new HttpDispatchTarget({ url: s.url, tokenEnv: 'GH_TOKEN', env: {} }).dispatch(event)).rejects.toThrow(/GH_TOKEN \(token\) is not set/);
    expect(s.requests).toHaveLength(0);
  });
});

describe('retrain through the alert manager and the outbox', () => {
  it('one dispatch per incident, retried until the endpoint answers, token redacted in logs', async () => {
    const s = await server();
    s.script({ status: 502 }, 'hang');
    s.setDefault({ status: 204 });
    const rules = loadRules(rulesDir({ '_defaults.yaml': 'fire_after: 1\nresolve_after: 1\nretrain: { on: critical, model: fraud-scorer }\n' }));
    const db = await openDb(tempPath('m.duckdb'));
    cleanups.push(() => db.close());
    const logger = memoryLogger();
    const m = await AlertManager.open({
      conn: db.conn,
      rules,
      retrainTargets: [new HttpDispatchTarget({ url: s.url, tokenEnv: 'GH_TOKEN', env, timeoutMs: 300 })],
      backoff: { initialMs: 30, maxMs: 100, factor: 2 },
      redactor: new Redactor([TOKEN]),
      logger,
    });
    cleanups.push(() => m.close());
    const out = [];
    const crit = { amount: { psi: 0.4 }, country: { psi: 0.01 } };
    out.push(await m.onWindowEvaluated(windowOf(rules, 'tx', 0, crit, { baselineId: 'base-1', parquetPaths: ['w0.parquet'] })));
    out.push(await m.onWindowEvaluated(windowOf(rules, 'tx', 1, crit)));
    out.push(await m.onWindowEvaluated(windowOf(rules, 'tx', 2, { amount: { psi: 0.5 }, country: { psi: 0.3 } })));
    expect(out.map((o) => o.retrainEvents.length)).toEqual([1, 0, 0]);
    await s.waitFor(3);
    await m.worker.idle();
    expect(s.requests).toHaveLength(3); // 502, timeout, 204
    const bodies = s.requests.map((r) => (JSON.parse(r.body) as { client_payload: { idempotency_key: string; event: RetrainEvent } }).client_payload);
    expect(new Set(bodies.map((b) => b.idempotency_key)).size).toBe(1);
    expect(bodies[2]!.event).toMatchObject({ model: 'fraud-scorer', baseline_id: 'base-1', parquet_paths: ['w0.parquet'] });
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
    const outbox = (await db.conn.runAndReadAll("SELECT kind, attempts, sent_at FROM outbox WHERE kind = 'retrain'")).getRowObjectsJS();
    expect(outbox).toHaveLength(1);
    expect(Number(outbox[0]!.attempts)).toBe(3);
    expect(outbox[0]!.sent_at).not.toBeNull();
    const incidents = (await db.conn.runAndReadAll('SELECT model, open, last_event_key FROM retrain_incidents')).getRowObjectsJS();
    expect(incidents).toEqual([{ model: 'fraud-scorer', open: true, last_event_key: bodies[0]!.idempotency_key }]);
  });
});
