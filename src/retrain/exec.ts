/**
 * Runs the user's retrain command for one event: the event JSON on stdin, the main facts
 * in DRIFTWATCH_* environment variables. Through the shell, so `--exec "make retrain"` works.
 */
import { spawn } from 'node:child_process';
import type { RetrainEvent } from './types.js';

export interface ExecResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill (SIGTERM, then SIGKILL 5 s later) after this long. Default: no limit. */
  readonly timeoutMs?: number;
  /** 'inherit' (default) shows the command's output; 'ignore' drops it. */
  readonly output?: 'inherit' | 'ignore';
  /** Extra variables, e.g. where the event came from. */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export function retrainEnv(event: RetrainEvent): Record<string, string> {
  return {
    DRIFTWATCH_MODEL: event.model,
    DRIFTWATCH_REASON: event.reason,
    DRIFTWATCH_STREAM: event.stream,
    DRIFTWATCH_IDEMPOTENCY_KEY: event.idempotency_key,
    DRIFTWATCH_BASELINE_ID: event.baseline_id ?? '',
    DRIFTWATCH_WINDOW_START: event.window.start,
    DRIFTWATCH_WINDOW_END: event.window.end,
    DRIFTWATCH_DRIFTED_FEATURES: event.drifted_features.map((f) => f.feature).join(','),
    DRIFTWATCH_PARQUET_PATHS: event.parquet_paths.join('\n'),
    DRIFTWATCH_SUMMARY: event.summary,
  };
}

export function runRetrainCommand(command: string, event: RetrainEvent, options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const output = options.output ?? 'inherit';
    const child = spawn(command, {
      shell: true,
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), ...retrainEnv(event), ...(options.extraEnv ?? {}) },
      stdio: ['pipe', output, output],
    });
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          }, options.timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      resolve({ code, signal, timedOut });
    });
    // A command that ignores stdin may exit before reading it: EPIPE is not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${JSON.stringify(event)}\n`);
  });
}
