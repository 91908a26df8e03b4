import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.js';
import type { AlertManagerOptions } from '../../src/alerts/manager.js';
import { RuleError } from '../../src/errors.js';
import { loadRules } from '../../src/rules/load.js';
import type { RuleSet } from '../../src/rules/types.js';
import { rulesDir } from '../rules/helpers.js';
import { RecordingSink, T0, WINDOW_MS, openDb, tempPath, until, windowOf } from './helpers.js';
import type { Db } from './helpers.js';

const fast = { initialMs: 20, maxMs: 200, factor: 2 };
const open: Array<{ m: AlertManager; db: Db }> = [];

async function start(path: string, rules: RuleSet, extra: Partial<AlertManagerOptions> = {}) {
  const db = await openDb(path);
  const m = await AlertManager.open({ conn: db.conn, rules, backoff: fast, ...extra });
  open.push({ m, db });
  return { m, db };
}

async function stop(x: { m: AlertManager; db: Db }): Promise<void> {
  await x.m.close();
  x.db.close();
  open.splice(open.indexOf(x), 1);
}

afterEach(async () => {
  for (const x of [...open]) await stop(x);
});

const rules2 = (): RuleSet =>
  loadRules(rulesDir({ '_defaults.yaml': 'fire_after: 2\nresolve_after: 2\nrepeat_interval: 1h\nmin_samples: 100\n' }));

const drifting = { psi: 0.3 };
const calm = { psi: 0.01 };

async function rows(db: Db, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

describe('AlertManager', () => {
  it('groups 30 drifting features of one window into one notification per channel', async () => {
    const rules = rules2();
    const slack = new RecordingSink('slack');
    const email = new RecordingSink('email');
    const x = await start(tempPath('a.duckdb'), rules, { sinks: [slack, email] });
    const features = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, drifting]));
    const w0 = await x.m.onWindowEvaluated(windowOf(rules, 'tx', 0, features));
    expect(w0.notifications).toHaveLength(0); // pending (fire_after 2)
    const w1 = await x.m.onWindowEvaluated(windowOf(rules, 'tx', 1, features));
    expect(w1.notifications).toHaveLength(2);
    await x.m.worker.idle();
    expect(slack.sent).toHaveLength(1);
    expect(email.sent).toHaveLength(1);
    expect(slack.sent[0]!.items).toHaveLength(30);
    expect(slack.sent[0]!.items.every((i) => i.kind === 'firing' && i.severity === 'critical')).toBe(true);
    expect(slack.sent[0]).toMatchObject({ stream: 'tx', windowStart: T0 + WINDOW_MS, windowEnd: T0 + 2 * WINDOW_MS });
    const outbox = await rows(x.db, 'SELECT channel, kind, sent_at FROM outbox ORDER BY channel');
    expect(outbox.map((r) => r.channel)).toEqual(['email', 'slack']);
    expect(outbox.every((r) => r.sent_at !== null)).toBe(true);
    const hist = await rows(x.db, "SELECT count(*) AS n FROM alert_history WHERE to_state = 'firing' AND notification = 'firing'");
    expect(Number(hist[0]!.n)).toBe(30);
  });

  it('sends resolved notifications, grouped too, after resolve_after calm windows', async () => {
    const rules = rules2();
    const sink = new RecordingSink('slack');
    const x = await start(tempPath('b.duckdb'), rules, { sinks: [sink] });
    const seq = [drifting, drifting, calm, calm];
    for (const [i, v] of seq.entries()) await x.m.onWindowEvaluated(windowOf(rules, 'tx', i, { a: v, b: v, c: calm }));
    await x.m.worker.idle();
    expect(sink.sent.map((n) => n.items.map((i) => `${i.feature}:${i.kind}`))).toEqual([
      ['a:firing', 'b:firing'],
      ['a:resolved', 'b:resolved'],
    ]);
    expect(x.m.alerts().find((a) => a.feature === 'a')!.state).toBe('resolved');
  });

  it('routes by the rule channels; * means the default channels', async () => {
    const dir = rulesDir({
      '_defaults.yaml': 'fire_after: 1\nchannels: ["*"]\n',
      'a.yaml': 'feature: a\nchannels: [email]\n',
      'b.yaml': 'feature: b\nchannels: []\n',
    });
    const rules = loadRules(dir);
    const slack = new RecordingSink('slack');
    const email = new RecordingSink('email');
    const x = await start(tempPath('c.duckdb'), rules, { sinks: [slack, email], defaultChannels: ['slack'] });
    await x.m.onWindowEvaluated(windowOf(rules, 'tx', 0, { a: drifting, b: drifting, c: drifting }));
    await x.m.worker.idle();
    expect(email.sent.map((n) => n.items.map((i) => i.feature))).toEqual([['a']]);
    expect(slack.sent.map((n) => n.items.map((i) => i.feature))).toEqual([['c']]);
    // b notifies nobody but its state is tracked.
    expect(x.m.alerts().find((r) => r.feature === 'b')!.state).toBe('firing');
  });

  it('refuses a rule naming a channel that is not configured', async () => {
    const rules = loadRules(rulesDir({ 'a.yaml': 'feature: a\nchannels: [pager]\n' }));
    const db = await openDb(tempPath('d.duckdb'));
    try {
      await expect(AlertManager.open({ conn: db.conn, rules, sinks: [new RecordingSink('slack')] })).rejects.toThrow(RuleError);
      await expect(AlertManager.open({ conn: db.conn, rules, sinks: [new RecordingSink('slack')] })).rejects.toThrow(/a\.yaml: channels names 'pager'/);
    } finally {
      db.close();
    }
  });

  it('a firing alert stays firing across a restart; no re-fire, resolve still comes', async () => {
    const rules = rules2();
    const path = tempPath('e.duckdb');
    const sink1 = new RecordingSink('slack');
    const a = await start(path, rules, { sinks: [sink1] });
    await a.m.onWindowEvaluated(windowOf(rules, 'tx', 0, { amount: drifting }));
    await a.m.onWindowEvaluated(windowOf(rules, 'tx', 1, { amount: drifting }));
    await a.m.worker.idle();
    expect(sink1.sent).toHaveLength(1);
    await stop(a);

    const sink2 = new RecordingSink('slack');
    const b = await start(path, rules, { sinks: [sink2] });
    expect(b.m.alerts()).toEqual([expect.objectContaining({ feature: 'amount', state: 'firing', severity: 'critical', firedAt: T0 + 2 * WINDOW_MS })]);
    // Still drifting: no new "firing" (repeat_interval 1h not reached).
    await b.m.onWindowEvaluated(windowOf(rules, 'tx', 2, { amount: drifting }));
    // A replay of an old window changes nothing.
    const replay = await b.m.onWindowEvaluated(windowOf(rules, 'tx', 1, { amount: calm }));
    expect(replay.replayed).toBe(1);
    await b.m.onWindowEvaluated(windowOf(rules, 'tx', 3, { amount: calm }));
    await b.m.onWindowEvaluated(windowOf(rules, 'tx', 4, { amount: calm }));
    await b.m.worker.idle();
    expect(sink2.sent.map((n) => n.items.map((i) => i.kind))).toEqual([['resolved']]);
    const history = await rows(b.db, "SELECT from_state, to_state, notification FROM alert_history WHERE feature = 'amount' ORDER BY window_end");
    expect(history).toEqual([
      { from_state: 'ok', to_state: 'pending', notification: null },
      { from_state: 'pending', to_state: 'firing', notification: 'firing' },
      { from_state: 'firing', to_state: 'resolved', notification: 'resolved' },
    ]);
  });

  it('restart resumes unsent notifications and never resends sent ones', async () => {
    const rules = loadRules(rulesDir({ '_defaults.yaml': 'fire_after: 1\n' }));
    const path = tempPath('f.duckdb');
    const good1 = new RecordingSink('good');
    const down = new RecordingSink('down');
    down.failures = 1_000; // down for this whole run
    const a = await start(path, rules, { sinks: [good1, down] });
    await a.m.onWindowEvaluated(windowOf(rules, 'tx', 0, { x: drifting }));
    await until(() => good1.sent.length === 1, 5_000, 'good channel delivery');
    await until(async () => Number((await rows(a.db, "SELECT attempts FROM outbox WHERE channel = 'down'"))[0]!.attempts) >= 2, 5_000, 'retries');
    await stop(a);

    const good2 = new RecordingSink('good');
    const up = new RecordingSink('down'); // the channel came back
    const b = await start(path, rules, { sinks: [good2, up] });
    await until(() => up.sent.length === 1, 5_000, 'resumed delivery');
    await b.m.worker.idle();
    expect(good2.sent).toHaveLength(0); // sent before the restart: not again
    expect(up.sent[0]!.id).toBe(`alert:tx:${T0}-${T0 + WINDOW_MS}:down`);
    const outbox = await rows(b.db, 'SELECT channel, sent_at IS NOT NULL AS sent, last_error FROM outbox ORDER BY channel');
    expect(outbox).toEqual([
      { channel: 'down', sent: true, last_error: null },
      { channel: 'good', sent: true, last_error: null },
    ]);
  });

  it('never blocks the caller on a slow channel', async () => {
    const rules = loadRules(rulesDir({ '_defaults.yaml': 'fire_after: 1\n' }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = { name: 'slow', type: 'test', sent: 0, send: async () => { await gate; slow.sent += 1; } };
    const x = await start(tempPath('g.duckdb'), rules, { sinks: [slow] });
    const t = Date.now();
    for (let i = 0; i < 5; i++) await x.m.onWindowEvaluated(windowOf(rules, 'tx', i, { x: i % 2 === 0 ? drifting : calm }));
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(slow.sent).toBe(0);
    release();
    await x.m.worker.idle();
    // fire, resolve(resolve_after 2 → needs 2 calm: windows 1 and 3 are not consecutive) … count what was queued:
    const queued = await rows(x.db, 'SELECT count(*) AS n FROM outbox');
    expect(slow.sent).toBe(Number(queued[0]!.n));
  });
});
