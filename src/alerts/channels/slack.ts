/**
 * Slack incoming-webhook channel over @slack/webhook's IncomingWebhook. The library does
 * not retry 429 and hides its Retry-After header, so a small fetch wrapper reads it; the
 * delivery worker retries (5xx, network, timeouts, 429 after Retry-After). At most one
 * message per second per webhook URL, Slack's documented rate.
 */
import { IncomingWebhook } from '@slack/webhook';
import { NotifyError } from '../../errors.js';
import { parseRetryAfter } from '../backoff.js';
import { Redactor } from '../redact.js';
import type { AlertNotification, AlertSink } from '../types.js';
import { slackMessage } from './slack-blocks.js';

export interface SlackSinkOptions {
  readonly name: string;
  /** Secret. */
  readonly webhookUrl: string;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Minimum gap between two messages to one webhook. Default 1000 ms. */
  readonly minIntervalMs?: number;
}

/** Next time a message may go to a webhook URL; shared by channels that use the same URL. */
const nextAllowed = new Map<string, number>();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface HttpLikeError {
  statusCode?: number;
  body?: string;
  code?: string;
  original?: Error;
}

export class SlackSink implements AlertSink {
  readonly type = 'slack';
  readonly name: string;
  private readonly url: string;
  private readonly webhook: IncomingWebhook;
  private readonly minIntervalMs: number;
  private readonly redactor: Redactor;
  private lastRetryAfter: string | null = null;

  constructor(options: SlackSinkOptions) {
    this.name = options.name;
    this.url = options.webhookUrl;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.redactor = new Redactor([options.webhookUrl]);
    this.webhook = new IncomingWebhook(options.webhookUrl, {
      timeout: options.timeoutMs ?? 10_000,
      retryConfig: { retries: 0 },
      fetch: async (url, init) => {
        const response = await fetch(url, init as RequestInit);
        this.lastRetryAfter = response.status === 429 ? response.headers.get('retry-after') : null;
        return response;
      },
    });
  }

  async send(notification: AlertNotification): Promise<void> {
    const wait = (nextAllowed.get(this.url) ?? 0) - Date.now();
    if (wait > 0) await sleep(wait);
    try {
      await this.webhook.send(slackMessage(notification));
      nextAllowed.set(this.url, Date.now() + this.minIntervalMs);
    } catch (err) {
      throw this.toNotifyError(err as HttpLikeError, notification);
    }
  }

  private toNotifyError(err: HttpLikeError, n: AlertNotification): NotifyError {
    const where = `slack channel '${this.name}' (notification ${n.id})`;
    const details = { channel: this.name, notification: n.id };
    if (err.statusCode === 429) {
      const retryAfterMs = parseRetryAfter(this.lastRetryAfter) ?? 1000;
      nextAllowed.set(this.url, Date.now() + retryAfterMs);
      return new NotifyError(`${where}: rate limited (HTTP 429), retry after ${retryAfterMs} ms`, {
        retryable: true,
        details: { ...details, status: 429, retryAfterMs },
      });
    }
    if (err.statusCode !== undefined) {
      const body = this.redactor.redact(String(err.body ?? '').slice(0, 200));
      // 5xx may pass; other 4xx (invalid_payload, no_service…) will not by retrying.
      const retryable = err.statusCode >= 500 || err.statusCode === 408;
      return new NotifyError(`${where}: HTTP ${err.statusCode}${body ? ` ${body}` : ''}`, {
        retryable,
        details: { ...details, status: err.statusCode },
      });
    }
    const reason = this.redactor.redact(err.original?.message ?? (err as Error).message ?? String(err));
    const cause = (err.original as (Error & { cause?: { code?: string } }) | undefined)?.cause?.code;
    return new NotifyError(`${where}: request failed: ${reason}${cause ? ` (${cause})` : ''}`, {
      retryable: true,
      details,
    });
  }
}
