/**
 * The validated, defaulted shape of driftwatch.yaml. YAML keys are snake_case; here they are
 * camelCase. Durations are milliseconds, paths are absolute. Everything is deeply frozen
 * (plain objects and arrays only, so Object.freeze really holds).
 */

export const Encodings = { json: 'json', avro: 'avro', confluentAvro: 'confluent-avro' } as const;
export type Encoding = (typeof Encodings)[keyof typeof Encodings];

export const ExtraFieldsPolicies = { allow: 'allow', reject: 'reject', strip: 'strip' } as const;
export type ExtraFieldsPolicy = (typeof ExtraFieldsPolicies)[keyof typeof ExtraFieldsPolicies];

export const KeyedAggs = { count: 'count', sum: 'sum', mean: 'mean', min: 'min', max: 'max' } as const;
export type KeyedAgg = (typeof KeyedAggs)[keyof typeof KeyedAggs];

export const LogLevels = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  silent: 'silent',
} as const;
export type LogLevel = (typeof LogLevels)[keyof typeof LogLevels];

export interface SaslConfig {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512' | 'aws' | 'oauthbearer';
  readonly username?: string;
  readonly password?: string;
  /** Other mechanism-specific keys, passed to kafkajs unchanged. */
  readonly [key: string]: unknown;
}

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  /** `true` or Node TLS options, passed to kafkajs unchanged. */
  readonly ssl?: boolean | Readonly<Record<string, unknown>>;
  readonly sasl?: SaslConfig;
}

export interface WindowConfig {
  readonly sizeMs: number;
  /** Equal to sizeMs for tumbling windows. */
  readonly slideMs: number;
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
}

export interface KeyedAggregateConfig {
  /** Defaults to `<agg>_<feature>_by_<key>`. */
  readonly name: string;
  readonly key: string;
  readonly feature: string;
  readonly agg: KeyedAgg;
}

export interface RegistryConfig {
  readonly url: string;
  readonly timeoutMs: number;
}

export interface StreamConfig {
  readonly name: string;
  readonly topic: string;
  readonly encoding: Encoding;
  /** JSON Schema (json) or writer .avsc (avro); optional for confluent-avro. */
  readonly schema?: string;
  readonly readerSchema?: string;
  readonly registry?: RegistryConfig;
  /** Confluent schema id (decimal string) → local .avsc path. */
  readonly schemaIds: Readonly<Record<string, string>>;
  readonly eventTimeField?: string;
  readonly keyField?: string;
  /** Defaults to `<topic>.dlq`. */
  readonly dlqTopic: string;
  readonly extraFields: ExtraFieldsPolicy;
  readonly windows: WindowConfig;
  /** Features to monitor; undefined = every feature in the baseline. */
  readonly features?: readonly string[];
  /** Features to treat as categorical whatever their type. */
  readonly categorical: readonly string[];
  readonly keyedAggregates: readonly KeyedAggregateConfig[];
  /** Baseline profile directory. */
  readonly baseline?: string;
}

export interface StorageConfig {
  readonly duckdbPath: string;
  readonly parquetDir: string;
}

export interface SlackChannelConfig {
  readonly type: 'slack';
  readonly name: string;
  /** Secret: never log it. */
  readonly webhookUrl: string;
}

export interface EmailChannelConfig {
  readonly type: 'email';
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user?: string;
  /** Name of the environment variable holding the SMTP password (read at send time). */
  readonly passwordEnv?: string;
  readonly from: string;
  readonly to: readonly string[];
}

export interface FileChannelConfig {
  readonly type: 'file';
  readonly name: string;
  readonly path: string;
}

export interface ConsoleChannelConfig {
  readonly type: 'console';
  readonly name: string;
}

export type AlertChannelConfig = SlackChannelConfig | EmailChannelConfig | FileChannelConfig | ConsoleChannelConfig;

export interface AlertsConfig {
  readonly groupWaitMs: number;
  /** Channel name → channel. */
  readonly channels: Readonly<Record<string, AlertChannelConfig>>;
  /** Channels for rules that name none; defaults to every configured channel. */
  readonly defaultChannels: readonly string[];
}

export interface RetrainHttpConfig {
  readonly url: string;
  /** Name of the environment variable holding the bearer token (read at send time). */
  readonly tokenEnv?: string;
  readonly eventType: string;
}

export interface RetrainConfig {
  readonly enabled: boolean;
  readonly topic: string;
  readonly http?: RetrainHttpConfig;
}

export interface HttpConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
}

export interface DriftwatchConfig {
  /** Absolute path of the file this came from. */
  readonly source: string;
  readonly kafka: KafkaConfig;
  readonly streams: readonly StreamConfig[];
  readonly storage: StorageConfig;
  readonly rules: { readonly dir: string };
  readonly alerts: AlertsConfig;
  readonly retrain: RetrainConfig;
  readonly http: HttpConfig;
  readonly logging: { readonly level: LogLevel };
}
