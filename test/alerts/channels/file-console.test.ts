import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleSink } from '../../../src/alerts/channels/console.js';
import { FileSink } from '../../../src/alerts/channels/file.js';
import { createSinks } from '../../../src/alerts/channels/index.js';
import type { AlertNotification } from '../../../src/alerts/types.js';
import { NotifyError } from '../../../src/errors.js';
import { T0, tempPath } from '../helpers.js';

const n: AlertNotification = {
  id: 'alert:tx:1-2:audit',
  stream: 'tx',
  windowStart: T0,
  windowEnd: T0 + 300_000,
  items: [
    {
      feature: 'amount',
      ruleId: '*/amount',
      kind: 'firing',
      severity: 'warn',
      breaches: [{ test: 'wasserstein_normed', value: 0.13, threshold: 0.1, level: 'warn' }],
      labels: {},
      firedAt: T0 + 300_000,
      nCurrent: 100,
      nullRateCurrent: 0,
    },
  ],
};

describe('FileSink', () => {
  it('appends one JSON object per line, creating the directory', async () => {
    const path = join(tempPath('x'), 'nested', 'alerts.jsonl');
    const sink = new FileSink('audit', path);
    await sink.send(n);
    await sink.send({ ...n, id: 'second' });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      type: 'drift_alert',
      id: 'alert:tx:1-2:audit',
      stream: 'tx',
      window_start: '2026-11-23T10:00:00.000Z',
      window_end: '2026-11-23T10:05:00.000Z',
      summary: '[WARN] tx: 1 feature drifting — window 2026-11-23 10:00–10:05 UTC',
    });
    expect((lines[0]!.items as unknown[])[0]).toMatchObject({ feature: 'amount', breaches: [{ test: 'wasserstein_normed', value: 0.13 }] });
    expect(lines[1]!.id).toBe('second');
  });

  it('an unwritable path is a retryable NotifyError naming the path', async () => {
    const blocker = tempPath('not-a-dir');
    writeFileSync(blocker, 'x');
    const path = join(blocker, 'alerts.jsonl'); // parent is a file: ENOTDIR
    const err = await new FileSink('audit', path).send(n).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).retryable).toBe(true);
    expect((err as NotifyError).message).toContain(path);
  });
});

describe('ConsoleSink', () => {
  it('prints the plain-text notification', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString('utf8')));
    await new ConsoleSink('console', out).send(n);
    expect(text).toContain('[WARN] tx: 1 feature drifting');
    expect(text).toContain('amount — WARN: drift detected');
    expect(text).toContain('Wasserstein (normed) 0.13 ≥ warn threshold 0.1');
  });
});

describe('createSinks', () => {
  it('builds one sink per configured channel', () => {
    const sinks = createSinks({
      slack: { type: 'slack', name: 'slack', webhookUrl: 'http://127.0.0.1:1/x' },
      mail: { type: 'email', name: 'mail', host: 'h', port: 25, secure: false, from: 'a@b', to: ['c@d'] },
      audit: { type: 'file', name: 'audit', path: '/tmp/x.jsonl' },
      console: { type: 'console', name: 'console' },
    });
    expect(sinks.map((s) => [s.name, s.type])).toEqual([
      ['slack', 'slack'],
      ['mail', 'email'],
      ['audit', 'file'],
      ['console', 'console'],
    ]);
  });
});
