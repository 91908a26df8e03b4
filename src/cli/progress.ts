/**
 * A one-line progress reporter for long CLI steps. It writes to stderr only when stderr is
 * a terminal, so piped output and logs stay clean; elsewhere every call is a no-op.
 */

/** The part of a stream the reporter needs (process.stderr satisfies it). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface Progress {
  /** Shows `label` and, when given, `done/total`. Redraws at most every `minIntervalMs`. */
  update(label: string, done?: number, total?: number): void;
  /** Clears the line (and prints `message` on its own line when given). */
  finish(message?: string): void;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  minIntervalMs?: number;
  now?: () => number;
}

const CLEAR_LINE = '\r\x1b[2K';

const silent: Progress = Object.freeze({ update: () => undefined, finish: () => undefined });

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true) return silent;
  const minInterval = options.minIntervalMs ?? 100;
  const now = options.now ?? Date.now;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastLabel: string | undefined;
  let drawn = false;
  return {
    update(label, done, total) {
      const t = now();
      // Always draw a new step and the last tick of a step; throttle the ticks in between.
      const final = done !== undefined && total !== undefined && done >= total;
      if (label === lastLabel && !final && t - lastDraw < minInterval) return;
      lastDraw = t;
      lastLabel = label;
      const count = done === undefined ? '' : total === undefined ? ` ${done}` : ` ${done}/${total}`;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`${CLEAR_LINE}${`${label}${count}`.slice(0, width)}`);
      drawn = true;
    },
    finish(message) {
      if (drawn) stream.write(CLEAR_LINE);
      drawn = false;
      lastLabel = undefined;
      if (message !== undefined) stream.write(`${message}\n`);
    },
  };
}
