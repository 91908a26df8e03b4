/**
 * Email channel over nodemailer SMTP. The password comes from the environment variable the
 * config names, read at send time, and is never part of a message or error.
 */
import nodemailer from 'nodemailer';
import type { EmailChannelConfig } from '../../config/types.js';
import { NotifyError } from '../../errors.js';
import { Redactor } from '../redact.js';
import type { AlertNotification, AlertSink } from '../types.js';
import { emailHtml, emailSubject, emailText } from './email-body.js';

/** The config's email channel, plus transport knobs for tests and slow servers. */
export interface EmailSinkOptions extends Omit<EmailChannelConfig, 'type'> {
  /** Connection, greeting and socket timeouts. Default 10 s. */
  readonly timeoutMs?: number;
  /** Test servers on loopback without TLS. */
  readonly ignoreTLS?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  message?: string;
}

export class EmailSink implements AlertSink {
  readonly type = 'email';
  readonly name: string;

  constructor(private readonly options: EmailSinkOptions) {
    this.name = options.name;
  }

  private password(): string | undefined {
    const envName = this.options.passwordEnv;
    if (envName === undefined) return undefined;
    const value = (this.options.env ?? process.env)[envName];
    if (value === undefined || value === '') {
      throw new NotifyError(`email channel '${this.name}': environment variable ${envName} (SMTP password) is not set`, {
        retryable: true,
        details: { channel: this.name, env: envName },
      });
    }
    return value;
  }

  async send(n: AlertNotification): Promise<void> {
    const o = this.options;
    const pass = this.password();
    const redactor = new Redactor([pass]);
    const timeout = o.timeoutMs ?? 10_000;
    const transport = nodemailer.createTransport({
      host: o.host,
      port: o.port,
      secure: o.secure,
      ...(o.ignoreTLS ? { ignoreTLS: true } : {}),
      ...(o.user !== undefined ? { auth: { user: o.user, ...(pass !== undefined ? { pass } : {}) } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    try {
      await transport.sendMail({
        from: o.from,
        to: [...o.to],
        subject: emailSubject(n),
        text: emailText(n),
        html: emailHtml(n),
        messageId: `<${n.id.replace(/[^A-Za-z0-9._-]/g, '.')}@driftwatch>`,
        headers: { 'X-Driftwatch-Notification': n.id },
      });
    } catch (err) {
      const e = err as SmtpError;
      const reason = redactor.redact(e.message ?? String(err));
      // A permanent reply about the message itself (550, 552…) will not pass by retrying;
      // auth and connection problems may, once fixed.
      const retryable = !(e.permanent === true && e.code !== 'EAUTH');
      throw new NotifyError(`email channel '${this.name}' (${o.host}:${o.port}, notification ${n.id}): ${reason}`, {
        retryable,
        details: { channel: this.name, code: e.code, responseCode: e.responseCode },
      });
    } finally {
      transport.close();
    }
  }
}
