/**
 * What can go wrong with one message, as closed vocabularies: the stage goes into the
 * DLQ header `driftwatch.error.stage`, the reason class labels metrics (low cardinality),
 * the reason text is for the human reading the DLQ.
 */
export const FailureStages = {
  decode: 'decode',
  schemaRegistry: 'schema-registry',
  validate: 'validate',
} as const;
export type FailureStage = (typeof FailureStages)[keyof typeof FailureStages];

export const ReasonClasses = {
  empty: 'empty',
  invalidUtf8: 'invalid-utf8',
  jsonSyntax: 'json-syntax',
  notObject: 'not-object',
  avroTruncated: 'avro-truncated',
  avroTrailing: 'avro-trailing',
  avroInvalid: 'avro-invalid',
  badFraming: 'bad-framing',
  schemaUnknown: 'schema-unknown',
  registryUnavailable: 'registry-unavailable',
  schemaInvalid: 'schema-invalid',
  required: 'required',
  type: 'type',
  extraField: 'extra-field',
  format: 'format',
  range: 'range',
  enum: 'enum',
  pattern: 'pattern',
  logicalType: 'logical-type',
  eventTime: 'event-time',
  other: 'other',
} as const;
export type ReasonClass = (typeof ReasonClasses)[keyof typeof ReasonClasses];

export interface IngestFailure {
  readonly ok: false;
  readonly stage: FailureStage;
  readonly reasonClass: ReasonClass;
  readonly reason: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | IngestFailure;

export function failure(stage: FailureStage, reasonClass: ReasonClass, reason: string): IngestFailure {
  return { ok: false, stage, reasonClass, reason };
}

/** Reasons end up in Kafka headers and logs: long ones (a 5 MB string in an error) are cut. */
export const MAX_REASON_LENGTH = 1000;

export function truncateReason(reason: string, max = MAX_REASON_LENGTH): string {
  if (reason.length <= max) return reason;
  let cut = max - 1;
  // Do not split a surrogate pair: a lone high surrogate is not valid UTF-8 once encoded.
  const code = reason.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${reason.slice(0, cut)}…`;
}

/** Short, printable preview of a value for reasons (`got "abc"`), never the whole thing. */
export function preview(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (value instanceof Date) text = `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  else if (Array.isArray(value)) text = `array(${value.length})`;
  else if (value !== null && typeof value === 'object') text = 'object';
  else text = String(value);
  return text.length > max + 2 ? `${text.slice(0, max)}…` : text;
}
