/**
 * Validates a config document against schemas/config.schema.json and turns ajv's errors into
 * messages with the file line, the YAML field path and a hint a user can act on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { formatFieldPath, locate, pointerToPath } from './yaml-source.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

export interface ConfigProblem {
  readonly line: number;
  readonly column: number;
  /** YAML path, e.g. `streams[0].windows.size`. */
  readonly field: string;
  readonly message: string;
}

const SCHEMA_FILE = join('schemas', 'config.schema.json');

/** Finds a file shipped with the package, from src/ (tsx) and dist/ (compiled) alike. */
export function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`driftwatch installation is incomplete: ${relative} not found`);
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // allErrors: report every problem in one go; config is validated once, speed is irrelevant.
  // verbose: errors carry parentSchema, used for "did you mean" and discriminator hints.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true });
  (ajvFormats.default as unknown as FormatsPlugin)(ajv, ['uri']);
  const schema = JSON.parse(readFileSync(packageFile(SCHEMA_FILE), 'utf8')) as object;
  compiled = ajv.compile(schema);
  return compiled;
}

/** Keys that hold secrets: their values never appear in messages. */
const SECRET_KEY = /password|token|secret|webhook|sasl|ssl/i;

/** Hints for the schema's patterns, which mean nothing to most users as regexes. */
const PATTERN_HINTS: ReadonlyArray<[RegExp, string]> = [
  [/ms\|s\|m\|h\|d\|w/, 'a duration like 500ms, 30s, 15m, 1h30m, 1d, or a number of milliseconds'],
  [/^\^\[A-Za-z0-9_\]\[A-Za-z0-9_\.-\]\*\$$/, 'a name of letters, digits, _ . - (not starting with . or -)'],
  [/^\^\[A-Za-z0-9\._-\]\+\$$/, 'a Kafka topic name (letters, digits, . _ -)'],
  [/^\^\[A-Za-z_\]\[A-Za-z0-9_\]\*\$$/, 'an environment variable name like SMTP_PASSWORD'],
  [/^\^\[0-9\]\+\$$/, 'a schema id (digits)'],
];

export function validateConfigDocument(src: YamlSource, data: unknown, fromEnv: ReadonlySet<string>): ConfigProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = pruneErrors(validate.errors ?? []);
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const err of errors) {
    const p = describe(src, err, fromEnv);
    const id = `${p.line}:${p.field}:${p.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(p);
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Drops errors that only restate others: `if` failures, `oneOf`/`anyOf` summaries whose
 * branches we explain ourselves, and the branch errors of an anyOf of alternatives.
 */
function pruneErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (anyOfPaths.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(`${p}/`))) return false;
    return true;
  });
}

function describe(src: YamlSource, err: ErrorObject, fromEnv: ReadonlySet<string>): ConfigProblem {
  const base = pointerToPath(err.instancePath);
  const params = err.params as Record<string, unknown>;
  let path: PathSegment[] = base;
  let atKey = false;
  let message: string;
  switch (err.keyword) {
    case 'required':
      message = `missing required key '${String(params.missingProperty)}'`;
      break;
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      path = [...base, key];
      atKey = true;
      const known = Object.keys((err.parentSchema?.properties as object | undefined) ?? {});
      const guess = closest(key, known);
      message = `unknown key '${key}'${guess ? ` (did you mean '${guess}'?)` : known.length ? ` (allowed: ${known.join(', ')})` : ''}`;
      break;
    }
    case 'propertyName':
    case 'propertyNames': {
      const name = String(params.propertyName);
      path = [...base, name];
      atKey = true;
      message = `key '${name}' is not valid here`;
      break;
    }
    case 'type':
      message = `must be ${article(String(params.type))}${got(err, base, fromEnv)}`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}${got(err, base, fromEnv)}`;
      break;
    case 'discriminator': {
      path = [...base, String(params.tag)];
      const tags = ((err.parentSchema?.oneOf as Array<{ properties?: { type?: { const?: string } } }>) ?? [])
        .map((s) => s.properties?.type?.const)
        .filter((t): t is string => typeof t === 'string');
      message = `must be one of ${tags.join(', ')}${got(err, path, fromEnv, params.tagValue)}`;
      break;
    }
    case 'pattern': {
      const hint = PATTERN_HINTS.find(([re]) => re.test(String(params.pattern)))?.[1];
      message = `must be ${hint ?? `text matching ${String(params.pattern)}`}${got(err, base, fromEnv)}`;
      break;
    }
    case 'format':
      message = `must be a valid ${params.format === 'uri' ? 'absolute URL (e.g. https://host/path)' : String(params.format)}${got(err, base, fromEnv)}`;
      break;
    case 'anyOf': {
      const options = ((err.parentSchema?.anyOf as Array<{ required?: string[] }>) ?? [])
        .map((s) => s.required?.join(' + '))
        .filter((s): s is string => typeof s === 'string');
      message = options.length ? `needs one of: ${options.join(', ')}` : (err.message ?? 'is invalid');
      break;
    }
    default:
      message = err.message ?? 'is invalid';
  }
  const pos = locate(src, path, { key: atKey });
  const field = formatFieldPath(path);
  return { line: pos.line, column: pos.column, field, message: contextualise(err, message) };
}

/** The `if`/`then` rules are per encoding: say so, or "missing schema" is a riddle. */
function contextualise(err: ErrorObject, message: string): string {
  if (!/\/allOf\/\d+\/then\//.test(err.schemaPath)) return message;
  const enc = (err.data as { encoding?: unknown } | undefined)?.encoding;
  return typeof enc === 'string' ? `${message} (required for encoding ${enc})` : message;
}

function got(err: ErrorObject, path: readonly PathSegment[], fromEnv: ReadonlySet<string>, value: unknown = err.data): string {
  const field = formatFieldPath(path);
  if (fromEnv.has(field)) return ' (value from the environment not shown)';
  if (path.some((seg) => typeof seg === 'string' && SECRET_KEY.test(seg))) return '';
  if (value === null || value === undefined) return ', got nothing';
  if (typeof value === 'object') return `, got ${Array.isArray(value) ? 'a list' : 'a mapping'}`;
  const text = typeof value === 'string' ? `'${value}'` : String(value);
  return `, got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function article(types: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
    object: 'a mapping (key: value)',
    array: 'a list',
    null: 'empty',
  };
  return types
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

/** Closest known key by edit distance, for typos like `groupid` → `group_id`. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase().replace(/[-_]/g, ''), c.toLowerCase().replace(/[-_]/g, ''));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
