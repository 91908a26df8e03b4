/**
 * Schema-valid raw config (snake_case YAML) → frozen DriftwatchConfig: defaults applied,
 * durations parsed, paths made absolute, and the checks JSON Schema cannot express
 * (slide ≤ size, unique stream names, channel references).
 */
import { resolve } from 'node:path';
import { parseDuration } from '../util/duration.js';
import { errorMessage } from '../errors.js';
import type { ConfigProblem } from './schema.js';
import type {
  AlertChannelConfig,
  DriftwatchConfig,
  Encoding,
  ExtraFieldsPolicy,
  KeyedAgg,
  LogLevel,
  SaslConfig,
  StreamConfig,
} from './types.js';
import { formatFieldPath, locate } from './yaml-source.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

export const CONFIG_DEFAULTS = {
  clientId: 'driftwatch',
  groupId: 'driftwatch',
  windowSize: '1h',
  allowedLateness: '1m',
  idleTimeout: '5m',
  registryTimeout: '5s',
  extraFields: 'allow',
  duckdbPath: './data/driftwatch.duckdb',
  parquetDir: './data/parquet',
  rulesDir: './rules',
  groupWait: '30s',
  retrainTopic: 'driftwatch.retrain',
  retrainEventType: 'driftwatch-retrain',
  httpHost: '0.0.0.0',
  httpPort: 9464,
  logLevel: 'info',
  smtpPort: 587,
} as const;

type Duration = string | number;

/** What the schema guarantees about the document; trusted after validation. */
export interface RawConfig {
  kafka: {
    brokers: string[] | string;
    client_id?: string;
    group_id?: string;
    from_beginning?: boolean;
    ssl?: boolean | Record<string, unknown>;
    sasl?: SaslConfig;
  };
  streams: RawStream[];
  storage?: { duckdb?: string; parquet_dir?: string };
  rules?: { dir?: string };
  alerts?: { group_wait?: Duration; default_channels?: string[]; channels?: Record<string, RawChannel> };
  retrain?: { enabled?: boolean; topic?: string; http?: { url: string; token_env?: string; event_type?: string } };
  http?: { enabled?: boolean; host?: string; port?: number };
  logging?: { level?: LogLevel };
}

interface RawStream {
  name: string;
  topic: string;
  encoding: Encoding;
  schema?: string;
  reader_schema?: string;
  registry?: { url: string; timeout?: Duration };
  schema_ids?: Record<string, string>;
  event_time_field?: string;
  key_field?: string;
  dlq_topic?: string;
  extra_fields?: ExtraFieldsPolicy;
  windows?: { size?: Duration; slide?: Duration; allowed_lateness?: Duration; idle_timeout?: Duration };
  features?: string[];
  categorical?: string[];
  keyed_aggregates?: Array<{ name?: string; key: string; feature: string; agg: KeyedAgg }>;
  baseline?: string;
}

type RawChannel =
  | { type: 'slack'; webhook_url: string }
  | {
      type: 'email';
      host: string;
      port?: number;
      secure?: boolean;
      user?: string;
      password_env?: string;
      from: string;
      to: string | string[];
    }
  | { type: 'file'; path: string }
  | { type: 'console' };

export interface NormalizeContext {
  readonly src: YamlSource;
  /** Relative paths in the file are resolved against this directory. */
  readonly baseDir: string;
  /** Absolute path of the config file. */
  readonly source: string;
}

export function normalizeConfig(raw: RawConfig, ctx: NormalizeContext): { config: DriftwatchConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (path: PathSegment[], message: string, key = false): void => {
    const pos = locate(ctx.src, path, { key });
    problems.push({ line: pos.line, column: pos.column, field: formatFieldPath(path), message });
  };
  const duration = (value: Duration | undefined, fallback: Duration, path: PathSegment[]): number => {
    try {
      return parseDuration(value ?? fallback, formatFieldPath(path));
    } catch (err) {
      problem(path, errorMessage(err));
      return 0;
    }
  };
  const abs = (p: string): string => resolve(ctx.baseDir, p);

  const k = raw.kafka;
  const brokers = (Array.isArray(k.brokers) ? k.brokers : k.brokers.split(',')).map((b) => b.trim()).filter((b) => b !== '');
  brokers.forEach((b, i) => {
    if (!/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) {
      problem(['kafka', 'brokers', ...(Array.isArray(k.brokers) ? [i] : [])], `broker '${b}' must be host:port`);
    }
  });
  if (k.sasl && ['plain', 'scram-sha-256', 'scram-sha-512'].includes(k.sasl.mechanism)) {
    for (const key of ['username', 'password'] as const) {
      if (typeof k.sasl[key] !== 'string') problem(['kafka', 'sasl', key], `missing required key '${key}' (required for sasl mechanism ${k.sasl.mechanism})`);
    }
  }

  const streamNames = new Map<string, number>();
  const topics = new Map<string, number>();
  const streams = raw.streams.map((s, i): StreamConfig => {
    const at = (...rest: PathSegment[]): PathSegment[] => ['streams', i, ...rest];
    const first = streamNames.get(s.name);
    if (first !== undefined) problem(at('name'), `duplicate stream name '${s.name}' (also streams[${first}])`);
    else streamNames.set(s.name, i);
    const firstTopic = topics.get(s.topic);
    if (firstTopic !== undefined) problem(at('topic'), `topic '${s.topic}' is already consumed by streams[${firstTopic}]`);
    else topics.set(s.topic, i);

    const w = s.windows ?? {};
    const sizeMs = duration(w.size, CONFIG_DEFAULTS.windowSize, at('windows', 'size'));
    const slideMs = duration(w.slide, sizeMs, at('windows', 'slide'));
    if (sizeMs <= 0) problem(at('windows', 'size'), 'window size must be greater than 0');
    if (slideMs <= 0 && sizeMs > 0) problem(at('windows', 'slide'), 'window slide must be greater than 0');
    if (slideMs > sizeMs) problem(at('windows', 'slide'), `window slide (${slideMs} ms) must not exceed the window size (${sizeMs} ms)`);

    if (s.features && s.categorical) {
      s.categorical.forEach((c, j) => {
        if (!s.features?.includes(c)) problem(at('categorical', j), `categorical feature '${c}' is not in this stream's features list`);
      });
    }
    const aggNames = new Set<string>();
    const keyedAggregates = (s.keyed_aggregates ?? []).map((a, j) => {
      const name = a.name ?? `${a.agg}_${a.feature}_by_${a.key}`;
      if (aggNames.has(name)) problem(at('keyed_aggregates', j), `duplicate keyed aggregate '${name}' (give it a distinct name)`);
      aggNames.add(name);
      return { name, key: a.key, feature: a.feature, agg: a.agg };
    });

    const schemaIds: Record<string, string> = {};
    for (const [id, p] of Object.entries(s.schema_ids ?? {})) schemaIds[String(Number(id))] = abs(p);

    return {
      name: s.name,
      topic: s.topic,
      encoding: s.encoding,
      ...(s.schema !== undefined && { schema: abs(s.schema) }),
      ...(s.reader_schema !== undefined && { readerSchema: abs(s.reader_schema) }),
      ...(s.registry !== undefined && {
        registry: {
          url: s.registry.url.replace(/\/+$/, ''),
          timeoutMs: duration(s.registry.timeout, CONFIG_DEFAULTS.registryTimeout, at('registry', 'timeout')),
        },
      }),
      schemaIds,
      ...(s.event_time_field !== undefined && { eventTimeField: s.event_time_field }),
      ...(s.key_field !== undefined && { keyField: s.key_field }),
      dlqTopic: s.dlq_topic ?? `${s.topic}.dlq`,
      extraFields: s.extra_fields ?? CONFIG_DEFAULTS.extraFields,
      windows: {
        sizeMs,
        slideMs,
        allowedLatenessMs: duration(w.allowed_lateness, CONFIG_DEFAULTS.allowedLateness, at('windows', 'allowed_lateness')),
        idleTimeoutMs: duration(w.idle_timeout, CONFIG_DEFAULTS.idleTimeout, at('windows', 'idle_timeout')),
      },
      ...(s.features !== undefined && { features: s.features }),
      categorical: s.categorical ?? [],
      keyedAggregates,
      ...(s.baseline !== undefined && { baseline: abs(s.baseline) }),
    };
  });

  // No alerts section at all: print alerts rather than silently drop them.
  const rawChannels = raw.alerts?.channels ?? (raw.alerts === undefined ? { console: { type: 'console' as const } } : {});
  const channels: Record<string, AlertChannelConfig> = {};
  for (const [name, c] of Object.entries(rawChannels)) channels[name] = channel(name, c, abs);
  const defaultChannels = raw.alerts?.default_channels ?? Object.keys(channels);
  (raw.alerts?.default_channels ?? []).forEach((name, j) => {
    if (!(name in channels)) {
      const known = Object.keys(channels);
      problem(['alerts', 'default_channels', j], `unknown channel '${name}' (configured: ${known.length ? known.join(', ') : 'none'})`);
    }
  });

  const retrain = raw.retrain;
  const config: DriftwatchConfig = {
    source: ctx.source,
    kafka: {
      brokers,
      clientId: k.client_id ?? CONFIG_DEFAULTS.clientId,
      groupId: k.group_id ?? CONFIG_DEFAULTS.groupId,
      fromBeginning: k.from_beginning ?? false,
      ...(k.ssl !== undefined && { ssl: k.ssl }),
      ...(k.sasl !== undefined && { sasl: k.sasl }),
    },
    streams,
    storage: {
      duckdbPath: abs(raw.storage?.duckdb ?? CONFIG_DEFAULTS.duckdbPath),
      parquetDir: abs(raw.storage?.parquet_dir ?? CONFIG_DEFAULTS.parquetDir),
    },
    rules: { dir: abs(raw.rules?.dir ?? CONFIG_DEFAULTS.rulesDir) },
    alerts: {
      groupWaitMs: duration(raw.alerts?.group_wait, CONFIG_DEFAULTS.groupWait, ['alerts', 'group_wait']),
      channels,
      defaultChannels,
    },
    retrain: {
      enabled: retrain?.enabled ?? retrain !== undefined,
      topic: retrain?.topic ?? CONFIG_DEFAULTS.retrainTopic,
      ...(retrain?.http !== undefined && {
        http: {
          url: retrain.http.url,
          ...(retrain.http.token_env !== undefined && { tokenEnv: retrain.http.token_env }),
          eventType: retrain.http.event_type ?? CONFIG_DEFAULTS.retrainEventType,
        },
      }),
    },
    http: {
      enabled: raw.http?.enabled ?? true,
      host: raw.http?.host ?? CONFIG_DEFAULTS.httpHost,
      port: raw.http?.port ?? CONFIG_DEFAULTS.httpPort,
    },
    logging: { level: raw.logging?.level ?? CONFIG_DEFAULTS.logLevel },
  };
  return { config: deepFreeze(config), problems };
}

function channel(name: string, c: RawChannel, abs: (p: string) => string): AlertChannelConfig {
  switch (c.type) {
    case 'slack':
      return { type: 'slack', name, webhookUrl: c.webhook_url };
    case 'email':
      return {
        type: 'email',
        name,
        host: c.host,
        // Port 465 is implicit TLS; everything else starts plain and upgrades (STARTTLS).
        port: c.port ?? (c.secure ? 465 : CONFIG_DEFAULTS.smtpPort),
        secure: c.secure ?? c.port === 465,
        ...(c.user !== undefined && { user: c.user }),
        ...(c.password_env !== undefined && { passwordEnv: c.password_env }),
        from: c.from,
        to: Array.isArray(c.to) ? c.to : c.to.split(',').map((t) => t.trim()).filter((t) => t !== ''),
      };
    case 'file':
      return { type: 'file', name, path: abs(c.path) };
    case 'console':
      return { type: 'console', name };
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
