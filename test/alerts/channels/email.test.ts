import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { EmailSink } from '../../../src/alerts/channels/email.js';
import type { AlertNotification } from '../../../src/alerts/types.js';
import { NotifyError } from '../../../src/errors.js';
import { T0 } from '../helpers.js';
import { decodeHeader, parseMail } from './mime.js';

const PASSWORD = 'sm7p-Pa55w0rd-xyz';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const servers: SMTPServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** A real SMTP server on 127.0.0.1 that requires user `driftwatch` with PASSWORD. */
async function smtp(): Promise<{ port: number; mails: Received[]; authAttempts: string[] }> {
  const mails: Received[] = [];
  const authAttempts: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, cb) {
      authAttempts.push(auth.username ?? '');
      if (auth.username === 'driftwatch' && auth.password === PASSWORD) cb(null, { user: 'driftwatch' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  servers.push(server);
  return { port: (server.server.address() as AddressInfo).port, mails, authAttempts };
}

const notification: AlertNotification = {
  id: 'alert:tx:1-2:email',
  stream: 'transactions',
  windowStart: T0,
  windowEnd: T0 + 300_000,
  items: [
    {
      feature: 'amount',
      ruleId: '*/amount',
      kind: 'firing',
      severity: 'critical',
      breaches: [{ test: 'psi', value: 0.412, threshold: 0.25, level: 'critical' }],
      labels: { owner: 'risk<team>' },
      firedAt: T0 + 300_000,
      nCurrent: 4812,
      nullRateCurrent: 0.002,
    },
    {
      feature: 'device_score',
      ruleId: '*/device_score',
      kind: 'resolved',
      severity: 'warn',
      breaches: [{ test: 'null_rate_increase', value: 0.04, threshold: 0.02, level: 'warn' }],
      labels: {},
      firedAt: T0 - 600_000,
      nCurrent: 4812,
      nullRateCurrent: 0.01,
    },
  ],
};

function sink(port: number, env: NodeJS.ProcessEnv = { DW_SMTP_PASSWORD: PASSWORD }): EmailSink {
  return new EmailSink({
    name: 'email',
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    user: 'driftwatch',
    passwordEnv: 'DW_SMTP_PASSWORD',
    from: 'driftwatch@example.com',
    to: ['oncall@example.com', 'ml@example.com'],
    timeoutMs: 2_000,
    env,
  });
}

describe('EmailSink against a local SMTP server', () => {
  it('sends subject, text and HTML with the same facts, authenticated with the password from the env', async () => {
    const server = await smtp();
    await sink(server.port).send(notification);
    expect(server.mails).toHaveLength(1);
    const mail = server.mails[0]!;
    expect(mail.from).toBe('driftwatch@example.com');
    expect(mail.to).toEqual(['oncall@example.com', 'ml@example.com']);
    expect(server.authAttempts).toEqual(['driftwatch']);
    const parsed = parseMail(mail.raw);
    expect(decodeHeader(parsed.headers.get('subject')!)).toBe(
      '[driftwatch] [CRITICAL] transactions: 1 feature drifting (1 critical), 1 feature resolved — window 2026-11-23 10:00–10:05 UTC',
    );
    expect(parsed.headers.get('x-driftwatch-notification')).toBe('alert:tx:1-2:email');
    const text = parsed.parts.find((p) => p.headers.get('content-type')!.startsWith('text/plain'))!.body;
    const html = parsed.parts.find((p) => p.headers.get('content-type')!.startsWith('text/html'))!.body;
    for (const fact of [
      'amount',
      'CRITICAL: drift detected',
      'PSI 0.412 ≥ critical threshold 0.25',
      'device_score',
      'resolved: back to normal',
      'null-rate increase 0.04 ≥ warn threshold 0.02',
      '2026-11-23 10:00–10:05 UTC',
      'n=4812',
    ]) {
      expect(text).toContain(fact);
      expect(html).toContain(fact.replace('>', '&gt;'));
    }
    expect(text).toContain('owner=risk<team>');
    expect(html).toContain('owner=risk&lt;team&gt;'); // escaped in HTML
    expect(html).toMatch(/<table[\s\S]*<\/table>/);
    expect(mail.raw).not.toContain(PASSWORD);
  });

  it('a wrong password fails retryably without showing the password', async () => {
    const server = await smtp();
    const err = await sink(server.port, { DW_SMTP_PASSWORD: `${PASSWORD}-wrong` }).send(notification).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    const e = err as NotifyError;
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/email channel 'email' \(127\.0\.0\.1:\d+, notification alert:tx:1-2:email\)/);
    expect(e.message).not.toContain(PASSWORD);
    expect(JSON.stringify(e.details)).not.toContain(PASSWORD);
    expect(server.mails).toHaveLength(0);
  });

  it('names the missing environment variable, never a value', async () => {
    const server = await smtp();
    await expect(sink(server.port, {}).send(notification)).rejects.toThrow(/environment variable DW_SMTP_PASSWORD \(SMTP password\) is not set/);
  });

  it('a server that is down is a retryable error', async () => {
    const server = await smtp();
    const port = server.port;
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const err = (await sink(port).send(notification).catch((e: unknown) => e)) as NotifyError;
    expect(err).toBeInstanceOf(NotifyError);
    expect(err.retryable).toBe(true);
  });
});
