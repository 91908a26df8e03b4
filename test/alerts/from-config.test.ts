import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openAlertManager } from '../../src/alerts/from-config.js';
import type { DriftwatchConfig } from '../../src/config/types.js';
import { loadRules } from '../../src/rules/load.js';
import { rulesDir } from '../rules/helpers.js';
import { openDb, tempPath, until, webhookServer, windowOf } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('openAlertManager (from driftwatch.yaml settings)', () => {
  it('builds the channels, expands * to the default channels, feeds the metrics; retrain off sends nothing', async () => {
    const hook = await webhookServer('/repos/acme/model/dispatches');
    cleanups.push(() => hook.close());
    hook.setDefault({ status: 204 });
    const audit = tempPath('audit.jsonl');
    const other = tempPath('other.jsonl');
    const config: Pick<DriftwatchConfig, 'alerts' | 'retrain' | 'kafka'> = {
      alerts: {
        groupWaitMs: 0,
        channels: {
          audit: { type: 'file', name: 'audit', path: audit },
          other: { type: 'file', name: 'other', path: other },
        },
        defaultChannels: ['audit'],
      },
      // enabled: false → no retrain targets at all, even with http configured.
      retrain: { enabled: false, topic: 'driftwatch.retrain', http: { url: hook.url, eventType: 'driftwatch-retrain' } },
      kafka: { brokers: ['127.0.0.1:1'], clientId: 'dw', groupId: 'g', fromBeginning: false },
    };
    const calls: string[] = [];
    const metrics = {
      alertFired: (s: string, f: string, sev: string) => calls.push(`fired ${s} ${f} ${sev}`),
      alertResolved: (s: string, f: string) => calls.push(`resolved ${s} ${f}`),
      notificationSent: (c: string) => calls.push(`sent ${c}`),
      notificationFailed: (c: string) => calls.push(`failed ${c}`),
    };
    const rules = loadRules(rulesDir({ '_defaults.yaml': 'fire_after: 1\nresolve_after: 1\nretrain: { on: critical, model: m }\n' }));
    const db = await openDb(tempPath('c.duckdb'));
    cleanups.push(() => db.close());
    const m = await openAlertManager({ config, conn: db.conn, rules, metrics });
    cleanups.push(() => m.close());
    await m.onWindowEvaluated(windowOf(rules, 'tx', 0, { amount: { psi: 0.3 } }));
    await m.onWindowEvaluated(windowOf(rules, 'tx', 1, { amount: { psi: 0.01 } }));
    await until(() => calls.filter((c) => c.startsWith('sent')).length === 2, 5_000, 'deliveries');
    const lines = readFileSync(audit, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(() => readFileSync(other)).toThrow(); // not a default channel
    expect([...calls].sort()).toEqual(['fired tx amount critical', 'resolved tx amount', 'sent audit', 'sent audit']);
    expect(calls.indexOf('fired tx amount critical')).toBeLessThan(calls.indexOf('resolved tx amount'));
    const kinds = (await db.conn.runAndReadAll('SELECT DISTINCT kind FROM outbox')).getRowObjectsJS();
    expect(kinds).toEqual([{ kind: 'alert' }]); // retrain disabled: no retrain rows
    expect(hook.requests).toHaveLength(0);
  });
});
