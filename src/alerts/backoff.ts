/** Capped exponential backoff (pure). */
export interface BackoffOptions {
  /** First retry delay. */
  readonly initialMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
  readonly factor: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1_000, maxMs: 5 * 60_000, factor: 2 };

/** Delay before retry number `attempt` (1 = first retry); a receiver's Retry-After wins if longer. */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff, retryAfterMs = 0): number {
  const exp = options.initialMs * options.factor ** Math.max(0, attempt - 1);
  return Math.max(Math.min(options.maxMs, exp), Math.min(retryAfterMs, options.maxMs * 4));
}

/** An HTTP `Retry-After` value (seconds or an HTTP date) in ms, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
