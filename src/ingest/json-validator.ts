import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InputError, InputNotFoundError, errorMessage } from '../errors.js';
import { FailureStages, ReasonClasses, failure, preview, type IngestFailure, type ReasonClass } from './failure.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

/** What to do with properties the schema's root `properties` does not declare. */
export const ExtraFieldsPolicies = {
  allow: 'allow',
  reject: 'reject',
  strip: 'strip',
} as const;
export type ExtraFieldsPolicy = (typeof ExtraFieldsPolicies)[keyof typeof ExtraFieldsPolicies];

export interface JsonValidatorOptions {
  /**
   * Overrides the root's `additionalProperties`. Undefined keeps the schema as written.
   * `strip` deletes undeclared properties in place (ajv `removeAdditional`).
   */
  readonly extraFields?: ExtraFieldsPolicy;
  /** Names the schema in errors (its file path). */
  readonly name?: string;
}

/** Validates a decoded record in place; returns null when valid. */
export type JsonValidator = (record: Record<string, unknown>) => IngestFailure | null;

export function loadJsonSchemaFile(path: string): AnySchemaObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputNotFoundError(`cannot read JSON Schema file ${path}: ${errorMessage(err)}`, { cause: err, details: { file: path } });
  }
  try {
    const schema: unknown = JSON.parse(text);
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new Error('not a JSON object');
    return schema as AnySchemaObject;
  } catch (err) {
    throw new InputError(`JSON Schema file ${path} is not valid JSON: ${errorMessage(err)}`, { cause: err, details: { file: path } });
  }
}

/**
 * Compiles the schema once (draft 2020-12, ajv-formats, first error only: allErrors
 * costs time on every invalid message and one precise reason is enough for the DLQ).
 */
export function createJsonValidator(schema: AnySchemaObject, options: JsonValidatorOptions = {}): JsonValidator {
  const name = options.name ?? 'JSON Schema';
  const root: AnySchemaObject = { ...schema };
  if (options.extraFields === 'allow') root.additionalProperties = true;
  else if (options.extraFields === 'reject' || options.extraFields === 'strip') root.additionalProperties = false;
  const ajv = new Ajv2020({
    allErrors: false,
    strict: false,
    // Keeps `data` on errors so reasons can say what was found; costs nothing on valid data.
    verbose: true,
    removeAdditional: options.extraFields === 'strip' ? true : false,
    useDefaults: false,
    coerceTypes: false,
  });
  addFormats(ajv);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(root);
  } catch (err) {
    throw new InputError(`cannot compile ${name}: ${errorMessage(err)}`, { cause: err, details: { schema: name } });
  }
  return (record) => {
    if (validate(record)) return null;
    const first = validate.errors?.[0];
    if (!first) return failure(FailureStages.validate, ReasonClasses.other, `record does not match ${name}`);
    const { reasonClass, reason } = describeAjvError(first);
    return failure(FailureStages.validate, reasonClass, reason);
  };
}

function pathOf(instancePath: string, child?: unknown): string {
  const base = instancePath === '' ? '' : instancePath;
  if (child === undefined) return base === '' ? '/' : base;
  return `${base}/${String(child).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** One ajv error → a reason naming the field path, e.g. `/amount must be number (got "12")`. */
export function describeAjvError(e: ErrorObject): { reasonClass: ReasonClass; reason: string } {
  const params = e.params as Record<string, unknown>;
  const got = 'data' in e ? ` (got ${preview(e.data)})` : '';
  switch (e.keyword) {
    case 'required':
      return { reasonClass: ReasonClasses.required, reason: `${pathOf(e.instancePath, params.missingProperty)} is required` };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = params.additionalProperty ?? params.unevaluatedProperty;
      return { reasonClass: ReasonClasses.extraField, reason: `${pathOf(e.instancePath, extra)} is not allowed (extra field)` };
    }
    case 'type':
      return { reasonClass: ReasonClasses.type, reason: `${pathOf(e.instancePath)} must be ${String(params.type)}${got}` };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map((v) => JSON.stringify(v)).join(', ') : '';
      return { reasonClass: ReasonClasses.enum, reason: `${pathOf(e.instancePath)} must be one of ${allowed}${got}` };
    }
    case 'const':
      return { reasonClass: ReasonClasses.enum, reason: `${pathOf(e.instancePath)} must be ${JSON.stringify(params.allowedValue)}${got}` };
    case 'format':
      return { reasonClass: ReasonClasses.format, reason: `${pathOf(e.instancePath)} must match format "${String(params.format)}"${got}` };
    case 'pattern':
      return { reasonClass: ReasonClasses.pattern, reason: `${pathOf(e.instancePath)} must match pattern ${String(params.pattern)}${got}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'multipleOf':
      return { reasonClass: ReasonClasses.range, reason: `${pathOf(e.instancePath)} ${e.message ?? 'is out of range'}${got}` };
    default:
      return { reasonClass: ReasonClasses.other, reason: `${pathOf(e.instancePath)} ${e.message ?? `fails "${e.keyword}"`}${got}` };
  }
}
