/**
 * Readiness: the process is ready when every registered check passes (Kafka connected, DuckDB
 * open, baseline loaded, …). Checks are either polled functions or flags the owner flips, so a
 * module can report readiness without knowing the HTTP server exists.
 */
import { errorMessage } from '../errors.js';

export type CheckOutcome = boolean | { readonly ok: boolean; readonly detail?: string };
export type ReadinessCheck = () => CheckOutcome | Promise<CheckOutcome>;

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly CheckResult[];
  /** Names of the checks that failed. */
  readonly failed: readonly string[];
}

export interface Readiness {
  /** Polls `check` on every /readyz; a check that throws or times out fails. */
  register(name: string, check: ReadinessCheck): void;
  /** Push-style: the owner sets the state (not ready until the first `set(name, true)`). */
  set(name: string, ok: boolean, detail?: string): void;
  /** Declares a flag that starts not-ready, so /readyz fails until its owner says otherwise. */
  declare(name: string, detail?: string): void;
  unregister(name: string): void;
  evaluate(): Promise<ReadinessReport>;
}

export interface ReadinessOptions {
  /** A check slower than this counts as failed; default 2000 ms. */
  readonly timeoutMs?: number;
}

export function createReadiness(options: ReadinessOptions = {}): Readiness {
  const timeoutMs = options.timeoutMs ?? 2000;
  const checks = new Map<string, ReadinessCheck>();
  const flags = new Map<string, { ok: boolean; detail?: string }>();

  const run = async (name: string, check: ReadinessCheck): Promise<CheckResult> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
      if (typeof outcome === 'boolean') return { name, ok: outcome };
      return { name, ok: outcome.ok, ...(outcome.detail !== undefined && { detail: outcome.detail }) };
    } catch (err) {
      return { name, ok: false, detail: errorMessage(err) };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    register(name, check) {
      flags.delete(name);
      checks.set(name, check);
    },
    set(name, ok, detail) {
      checks.delete(name);
      flags.set(name, { ok, ...(detail !== undefined && { detail }) });
    },
    declare(name, detail = 'not started yet') {
      if (!checks.has(name) && !flags.has(name)) flags.set(name, { ok: false, detail });
    },
    unregister(name) {
      checks.delete(name);
      flags.delete(name);
    },
    async evaluate() {
      const polled = await Promise.all([...checks].map(([name, check]) => run(name, check)));
      const pushed = [...flags].map(([name, f]): CheckResult => ({ name, ...f }));
      const all = [...polled, ...pushed].sort((a, b) => a.name.localeCompare(b.name));
      const failed = all.filter((c) => !c.ok).map((c) => c.name);
      return { ready: failed.length === 0, checks: all, failed };
    },
  };
}
