import { afterEach, describe, expect, it } from 'vitest';
import { SlackSink } from '../../../src/alerts/channels/slack.js';
import type { AlertNotification } from '../../../src/alerts/types.js';
import { NotifyError } from '../../../src/errors.js';
import { SLACK_SECRET, T0, slackServer } from '../helpers.js';
import type { WebhookServer } from '../helpers.js';

const SECRET = SLACK_SECRET;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const server = (): Promise<WebhookServer> => slackServer(cleanups);

function notification(id: string, features = ['amount']): AlertNotification {
  return {
    id,
    stream: 'tx',
    windowStart: T0,
    windowEnd: T0 + 300_000,
    items: features.map((feature) => ({
      feature,
      ruleId: `*/${feature}`,
      kind: 'firing' as const,
      severity: 'critical' as const,
      breaches: [{ test: 'psi' as const, value: 0.31, threshold: 0.25, level: 'critical' as const }],
      labels: {},
      firedAt: T0 + 300_000,
      nCurrent: 5000,
      nullRateCurrent: 0,
    })),
  };
}

describe('SlackSink against a local webhook server', () => {
  it('posts Block Kit JSON with a text fallback', async () => {
    const s = await server();
    await new SlackSink({ name: 'slack', webhookUrl: s.url }).send(notification('n1', ['amount', 'country']));
    expect(s.requests).toHaveLength(1);
    const req = s.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/services/T0001/B0001/${SECRET}`);
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(body.text).toMatch(/^\[CRITICAL\] tx: 2 features drifting \(2 critical\)/);
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section']);
    expect(body.blocks[2]!.text!.text).toContain('PSI 0.31 ≥ critical threshold 0.25');
  });

  it('429: error says retryable with the Retry-After delay; 5xx retryable; 400 not; no secret in messages', async () => {
    const s = await server();
    const sink = new SlackSink({ name: 'slack', webhookUrl: s.url, minIntervalMs: 0 });
    s.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 503 }, { status: 400, body: `invalid_payload ${s.url}` });
    const errors: NotifyError[] = [];
    for (let i = 0; i < 3; i++) errors.push((await sink.send(notification(`n${i}`)).catch((e: unknown) => e)) as NotifyError);
    expect(errors.map((e) => e instanceof NotifyError && e.retryable)).toEqual([true, true, false]);
    expect(errors[0]!.details.retryAfterMs).toBe(1000);
    // The next message to that webhook waited for the Retry-After.
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(990);
    expect(errors[1]!.message).toMatch(/HTTP 503/);
    for (const e of errors) {
      expect(e.message).not.toContain(SECRET);
      expect(JSON.stringify(e.details)).not.toContain(SECRET);
      expect(e.cause).toBeUndefined();
    }
    expect(errors[2]!.message).toContain('[REDACTED]');
  });

  it('a hanging server times out as a retryable error', async () => {
    const s = await server();
    s.script('hang');
    const t = Date.now();
    const err = await new SlackSink({ name: 'slack', webhookUrl: s.url, timeoutMs: 300 }).send(notification('n')).catch((e: unknown) => e);
    expect(Date.now() - t).toBeLessThan(3_000);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).retryable).toBe(true);
    expect((err as NotifyError).message).not.toContain(SECRET);
  });
});
