/**
 * Sends a retrain event to an HTTP endpoint, GitHub's `repository_dispatch` by default
 * (POST /repos/{owner}/{repo}/dispatches, 204 on success). The bearer token is read from
 * the environment variable the config names, at send time, and is redacted from errors.
 * GitHub allows at most 10 top-level keys in `client_payload`, so the full event is nested.
 */
import type { OutboxTarget } from '../alerts/delivery.js';
import { Redactor } from '../alerts/redact.js';
import type { OutboxRow } from '../alerts/store.js';
import { parseRetryAfter } from '../alerts/backoff.js';
import { NotifyError, errorMessage } from '../errors.js';
import type { RetrainEvent } from './types.js';

export interface HttpDispatchOptions {
  readonly url: string;
  /** Environment variable holding the token (sent as `Authorization: Bearer …`). */
  readonly tokenEnv?: string;
  /** `event_type` of the dispatch. Default `driftwatch-retrain`. */
  readonly eventType?: string;
  /** Outbox channel name. Default `retrain-http`. */
  readonly name?: string;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export function dispatchBody(event: RetrainEvent, eventType: string): Record<string, unknown> {
  return {
    event_type: eventType,
    client_payload: {
      model: event.model,
      reason: event.reason,
      summary: event.summary,
      stream: event.stream,
      window: event.window,
      baseline_id: event.baseline_id,
      idempotency_key: event.idempotency_key,
      event,
    },
  };
}

export class HttpDispatchTarget implements OutboxTarget {
  readonly name: string;

  constructor(private readonly options: HttpDispatchOptions) {
    this.name = options.name ?? 'retrain-http';
  }

  private token(): string | undefined {
    const envName = this.options.tokenEnv;
    if (envName === undefined) return undefined;
    const value = (this.options.env ?? process.env)[envName];
    if (value === undefined || value === '') {
      throw new NotifyError(`retrain dispatch '${this.name}': environment variable ${envName} (token) is not set`, {
        retryable: true,
        details: { channel: this.name, env: envName },
      });
    }
    return value;
  }

  async dispatch(event: RetrainEvent): Promise<void> {
    const token = this.token();
    const redactor = new Redactor([token]);
    const where = `retrain dispatch '${this.name}' (${this.options.url}, model ${event.model})`;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          accept: 'application/vnd.github+json',
          'content-type': 'application/json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'driftwatch',
          'idempotency-key': event.idempotency_key,
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(dispatchBody(event, this.options.eventType ?? 'driftwatch-retrain')),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new NotifyError(`${where}: request failed: ${redactor.redact(errorMessage(err))}${cause ? ` (${cause})` : ''}`, {
        retryable: true,
        details: { channel: this.name },
      });
    }
    if (response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      return;
    }
    const body = redactor.redact((await response.text().catch(() => '')).slice(0, 300));
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const s = response.status;
    // 5xx, 429 and rate-limit 403s pass with time; 401/404/422 need a person.
    const retryable = s >= 500 || s === 429 || s === 408 || (s === 403 && retryAfterMs !== undefined);
    throw new NotifyError(`${where}: HTTP ${s}${body ? ` ${body}` : ''}`, {
      retryable,
      details: { channel: this.name, status: s, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
    });
  }

  deliver(row: OutboxRow): Promise<void> {
    return this.dispatch(JSON.parse(row.payload) as RetrainEvent);
  }
}
