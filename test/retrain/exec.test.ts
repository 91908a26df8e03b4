import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRetrainEvent } from '../../src/retrain/event.js';
import { retrainEnv, runRetrainCommand } from '../../src/retrain/exec.js';
import { tempPath } from '../alerts/helpers.js';
import { drift } from '../rules/helpers.js';

const event = buildRetrainEvent({
  model: 'fraud-scorer',
  reason: 'drifted_share',
  stream: 'tx',
  windowStart: 0,
  windowEnd: 300_000,
  features: [
    { feature: 'amount', severity: 'warn', breaches: [], drift: drift('amount', { psi: 0.2 }) },
    { feature: 'country', severity: 'warn', breaches: [], drift: drift('country', { type: 'categorical', psi: 0.2 }) },
  ],
  driftedShare: 0.5,
  baselineId: 'base-7',
  parquetPaths: ['a.parquet', 'b.parquet'],
  createdAt: 1,
});

describe('runRetrainCommand', () => {
  it('passes the event on stdin and the facts in DRIFTWATCH_* variables', async () => {
    const out = tempPath('out');
    const r = await runRetrainCommand(
      `cat > ${out}.json; printf '%s|%s|%s|%s|%s' "$DRIFTWATCH_MODEL" "$DRIFTWATCH_REASON" "$DRIFTWATCH_DRIFTED_FEATURES" "$DRIFTWATCH_BASELINE_ID" "$EXTRA" > ${out}.env`,
      event,
      { output: 'ignore', extraEnv: { EXTRA: 'x1' } },
    );
    expect(r).toEqual({ code: 0, signal: null, timedOut: false });
    expect(JSON.parse(readFileSync(`${out}.json`, 'utf8'))).toEqual(JSON.parse(JSON.stringify(event)));
    expect(readFileSync(`${out}.env`, 'utf8')).toBe('fraud-scorer|drifted_share|amount,country|base-7|x1');
    expect(retrainEnv(event).DRIFTWATCH_PARQUET_PATHS).toBe('a.parquet\nb.parquet');
    expect(retrainEnv(event).DRIFTWATCH_IDEMPOTENCY_KEY).toBe(event.idempotency_key);
  });

  it('reports the exit code; a command that ignores stdin is fine', async () => {
    expect((await runRetrainCommand('exit 3', event, { output: 'ignore' })).code).toBe(3);
    expect((await runRetrainCommand('true', event, { output: 'ignore' })).code).toBe(0);
  });

  it('kills a command that runs past the timeout', async () => {
    const t = Date.now();
    const r = await runRetrainCommand('sleep 10', event, { output: 'ignore', timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.code === 0).toBe(false);
    expect(Date.now() - t).toBeLessThan(5_000);
  });
});
