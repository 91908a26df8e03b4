/**
 * Every error driftwatch raises on purpose carries a stable `code`, whether a retry
 * could help, and the details a user needs to fix the cause (file, feature, topic…).
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'DW_CONFIG_INVALID',
  RULE_INVALID: 'DW_RULE_INVALID',
  INPUT_NOT_FOUND: 'DW_INPUT_NOT_FOUND',
  INPUT_INVALID: 'DW_INPUT_INVALID',
  BASELINE_INVALID: 'DW_BASELINE_INVALID',
  FEATURE_UNKNOWN: 'DW_FEATURE_UNKNOWN',
  DECODE_FAILED: 'DW_DECODE_FAILED',
  VALIDATION_FAILED: 'DW_VALIDATION_FAILED',
  SCHEMA_REGISTRY: 'DW_SCHEMA_REGISTRY',
  STORE_FAILED: 'DW_STORE_FAILED',
  NOTIFY_FAILED: 'DW_NOTIFY_FAILED',
  KAFKA_FAILED: 'DW_KAFKA_FAILED',
  USAGE: 'DW_USAGE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface ErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  details?: Readonly<Record<string, unknown>>;
}

export class DriftwatchError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** Config file (driftwatch.yaml) is malformed or fails its schema. */
export class ConfigError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.CONFIG_INVALID, message, options);
  }
}

/** A rule file is malformed, fails its schema, or contradicts itself. */
export class RuleError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.RULE_INVALID, message, options);
  }
}

/** A file or path the user named does not exist. */
export class InputNotFoundError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.INPUT_NOT_FOUND, message, options);
  }
}

/** Data the user gave cannot be used (empty column, wrong type, …). */
export class InputError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.INPUT_INVALID, message, options);
  }
}

/** A baseline profile is missing, corrupt or of an unknown format version. */
export class BaselineError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.BASELINE_INVALID, message, options);
  }
}

/** A feature named by the user is not in the data or the baseline. */
export class UnknownFeatureError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.FEATURE_UNKNOWN, message, options);
  }
}

/** A message's bytes could not be decoded (bad UTF-8/JSON/Avro/framing). */
export class DecodeError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.DECODE_FAILED, message, options);
  }
}

/** A decoded event does not satisfy its schema. */
export class ValidationError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.VALIDATION_FAILED, message, options);
  }
}

/** The schema registry could not resolve a schema id. */
export class SchemaRegistryError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.SCHEMA_REGISTRY, message, options);
  }
}

/** DuckDB or Parquet storage failed. */
export class StoreError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.STORE_FAILED, message, options);
  }
}

/** An alert channel (Slack, email, HTTP dispatch) failed to deliver. */
export class NotifyError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.NOTIFY_FAILED, message, options);
  }
}

/** Talking to Kafka failed. */
export class KafkaError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.KAFKA_FAILED, message, options);
  }
}

/** The command line was used wrongly. */
export class UsageError extends DriftwatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCodes.USAGE, message, options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
