import { readFile } from 'node:fs/promises';
import { SchemaRegistryError, errorMessage } from '../errors.js';
import { ReasonClasses, type ReasonClass } from './failure.js';

/**
 * Where Confluent schema ids come from. `resolve` gives the writer schema's JSON text
 * or rejects with a SchemaRegistryError whose `details.reasonClass` says why
 * (`schema-unknown`, `registry-unavailable`, `schema-invalid`).
 */
export interface SchemaResolver {
  /** Names the source in messages: a registry URL or "local schema map". */
  readonly source: string;
  resolve(id: number): Promise<string>;
}

function registryError(message: string, id: number, source: string, reasonClass: ReasonClass, cause?: unknown) {
  return new SchemaRegistryError(message, {
    cause,
    retryable: reasonClass === ReasonClasses.registryUnavailable,
    details: { id, source, reasonClass },
  });
}

export function reasonClassOf(err: unknown): ReasonClass {
  if (err instanceof SchemaRegistryError) {
    const rc = err.details.reasonClass;
    if (typeof rc === 'string' && (Object.values(ReasonClasses) as string[]).includes(rc)) return rc as ReasonClass;
  }
  return ReasonClasses.registryUnavailable;
}

export interface HttpSchemaRegistryOptions {
  /** Base URL, e.g. http://schema-registry:8081 (a trailing slash is fine). */
  readonly url: string;
  /** Per request, including reading the body. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for 5xx, 429, timeouts and network errors. Default 3. */
  readonly retries?: number;
  /** First backoff; doubles per retry up to maxBackoffMs. Defaults 100 ms and 2000 ms. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * After an id failed the whole retry budget, further lookups of it fail at once for
   * this long, so a registry outage sends messages to the DLQ instead of stalling every
   * batch for the full budget. Default 10 000 ms; 0 disables.
   */
  readonly failureTtlMs?: number;
  /** Extra request headers (e.g. Authorization). Never logged. */
  readonly headers?: Readonly<Record<string, string>>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Confluent-compatible registry client: `GET {url}/schemas/ids/{id}` → `{"schema": "…"}`.
 * Ids are immutable, so successes are cached forever; concurrent lookups of one id
 * share a request.
 */
export class HttpSchemaRegistry implements SchemaResolver {
  readonly source: string;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly failureTtlMs: number;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly cache = new Map<number, Promise<string>>();
  private readonly failed = new Map<number, { error: SchemaRegistryError; until: number }>();
  /** Requests sent, for tests and metrics. */
  requests = 0;

  constructor(options: HttpSchemaRegistryOptions) {
    this.base = options.url.replace(/\/+$/, '');
    // Credentials in the URL must not reach DLQ headers or logs.
    this.source = redactUrl(this.base);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2000;
    this.failureTtlMs = options.failureTtlMs ?? 10_000;
    this.headers = options.headers ?? {};
  }

  resolve(id: number): Promise<string> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const failed = this.failed.get(id);
    if (failed && failed.until > Date.now()) return Promise.reject(failed.error);
    const pending = this.fetchWithRetries(id).catch((err: unknown) => {
      this.cache.delete(id);
      const error =
        err instanceof SchemaRegistryError
          ? err
          : registryError(`schema id ${id}: ${errorMessage(err)} (registry ${this.source})`, id, this.source, ReasonClasses.registryUnavailable, err);
      if (this.failureTtlMs > 0) this.failed.set(id, { error, until: Date.now() + this.failureTtlMs });
      throw error;
    });
    this.cache.set(id, pending);
    return pending;
  }

  private async fetchWithRetries(id: number): Promise<string> {
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) {
        const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempt - 1));
        await sleep(base * (0.8 + 0.4 * Math.random()));
      }
      const outcome = await this.fetchOnce(id);
      if (outcome.kind === 'ok') return outcome.schema;
      if (outcome.kind === 'fatal') throw outcome.error;
      lastProblem = outcome.problem;
    }
    throw registryError(
      `schema id ${id} could not be fetched from schema registry ${this.source} after ${this.retries + 1} attempts: ${lastProblem}`,
      id,
      this.source,
      ReasonClasses.registryUnavailable,
    );
  }

  private async fetchOnce(
    id: number,
  ): Promise<{ kind: 'ok'; schema: string } | { kind: 'retry'; problem: string } | { kind: 'fatal'; error: SchemaRegistryError }> {
    const url = `${this.base}/schemas/ids/${id}`;
    this.requests++;
    let res: Response;
    let body: string;
    try {
      res = await fetch(url, {
        headers: { Accept: 'application/vnd.schemaregistry.v1+json, application/json', ...this.headers },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { kind: 'retry', problem: timedOut ? `timed out after ${this.timeoutMs} ms` : errorMessage(err) };
    }
    if (res.status === 404) {
      return {
        kind: 'fatal',
        error: registryError(`schema id ${id} not found in schema registry ${this.source}`, id, this.source, ReasonClasses.schemaUnknown),
      };
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      return { kind: 'retry', problem: `HTTP ${res.status}` };
    }
    if (res.status !== 200) {
      return {
        kind: 'fatal',
        error: registryError(
          `schema registry ${this.source} answered HTTP ${res.status} for schema id ${id}`,
          id,
          this.source,
          ReasonClasses.registryUnavailable,
        ),
      };
    }
    const invalid = (why: string) => ({
      kind: 'fatal' as const,
      error: registryError(`schema id ${id} from schema registry ${this.source}: ${why}`, id, this.source, ReasonClasses.schemaInvalid),
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return invalid('response is not JSON');
    }
    const obj = parsed as { schema?: unknown; schemaType?: unknown } | null;
    if (obj === null || typeof obj !== 'object' || typeof obj.schema !== 'string') {
      return invalid('response has no "schema" string');
    }
    if (obj.schemaType !== undefined && obj.schemaType !== 'AVRO') {
      return invalid(`schemaType ${String(obj.schemaType)} is not AVRO`);
    }
    return { kind: 'ok', schema: obj.schema };
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** Schema id → local .avsc file, read on first use. */
export class LocalSchemaResolver implements SchemaResolver {
  readonly source = 'local schema map';
  private readonly files: ReadonlyMap<number, string>;

  constructor(map: Readonly<Record<string, string>> | ReadonlyMap<number, string>) {
    this.files = map instanceof Map ? map : new Map(Object.entries(map).map(([k, v]) => [Number(k), v]));
  }

  async resolve(id: number): Promise<string> {
    const file = this.files.get(id);
    if (file === undefined) {
      throw registryError(`schema id ${id} is not in the local schema map`, id, this.source, ReasonClasses.schemaUnknown);
    }
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw registryError(`schema id ${id}: cannot read ${file}: ${errorMessage(err)}`, id, this.source, ReasonClasses.schemaInvalid, err);
    }
  }
}

/** Tries each resolver in turn; only "unknown id" moves on to the next. */
export class ChainedSchemaResolver implements SchemaResolver {
  readonly source: string;

  constructor(private readonly resolvers: readonly SchemaResolver[]) {
    this.source = resolvers.map((r) => r.source).join(', then ');
  }

  async resolve(id: number): Promise<string> {
    let last: unknown = registryError(`schema id ${id}: no schema source configured`, id, this.source, ReasonClasses.schemaUnknown);
    for (const r of this.resolvers) {
      try {
        return await r.resolve(id);
      } catch (err) {
        if (reasonClassOf(err) !== ReasonClasses.schemaUnknown) throw err;
        last = err;
      }
    }
    throw last;
  }
}
