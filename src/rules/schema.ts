/**
 * Compiled validators for rule files (schemas/rule.schema.json), and the wording of ajv
 * errors for humans. Compiled once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** Finds `schemas/<name>` from src/ (tsx) or dist/ (compiled) alike. */
export function schemaFile(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas', name);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`schemas/${name} not found above ${fileURLToPath(import.meta.url)}`);
}

export function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaFile(name), 'utf8')) as Record<string, unknown>;
}

export interface RuleValidators {
  readonly rule: ValidateFunction;
  readonly defaults: ValidateFunction;
}

let cached: RuleValidators | undefined;

export function ruleValidators(): RuleValidators {
  if (cached) return cached;
  const schema = readSchema('rule.schema.json');
  // allErrors: a user fixing a file wants every problem at once, and rule files are tiny.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addSchema(schema);
  const id = schema.$id as string;
  const rule = ajv.getSchema(id);
  const defaults = ajv.getSchema(`${id}#/$defs/defaults`);
  if (!rule || !defaults) throw new Error('rule.schema.json: missing rule or defaults definition');
  cached = { rule, defaults };
  return cached;
}

/** The offending key for `additionalProperties`, so the line can point at it. */
export function errorKey(err: ErrorObject): string | undefined {
  if (err.keyword === 'additionalProperties') return String(err.params.additionalProperty);
  return undefined;
}

/** A short, user-facing reason for one ajv error. */
export function describeAjvError(err: ErrorObject): string {
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown key '${String(err.params.additionalProperty)}'`;
    case 'required':
      return `missing required key '${String(err.params.missingProperty)}'`;
    case 'enum':
      return `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${String(err.params.type).replace(/,/g, ' or ')}`;
    case 'not':
      return 'must be a map of levels (warn/critical) or false';
    default:
      return err.message ?? err.keyword;
  }
}

/**
 * ajv reports every branch of an anyOf plus an umbrella error; keep what a user can act on:
 * drop the umbrella, and drop a branch's top-level complaint when another branch got
 * further (e.g. `retrain: {on: sometimes}` → only "retrain.on must be one of …").
 */
export function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf') continue;
    const inBranch = e.schemaPath.includes('/anyOf/') && anyOfPaths.has(e.instancePath);
    if (inBranch && errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`))) continue;
    const k = `${e.instancePath}|${describeAjvError(e)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out;
}
