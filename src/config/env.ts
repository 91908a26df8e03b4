/**
 * `${VAR}` substitution in config values, so secrets (webhook URLs, SASL passwords) live in
 * the environment rather than in the file. Works on the parsed YAML tree, not the text, so a
 * value can never inject YAML structure and line numbers stay exact.
 *
 *   ${NAME}            value of NAME; an error if NAME is unset
 *   ${NAME:-fallback}  fallback when NAME is unset or empty
 *   $${NAME}           the literal text ${NAME}
 *
 * An unquoted value that is exactly one reference takes the YAML type of what it expands to
 * (`port: ${SMTP_PORT}` gives a number); quoted values stay strings.
 */
import { Scalar, isMap, isPair, isScalar, isSeq, parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { formatFieldPath, locate } from './yaml-source.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

export type Env = Readonly<Record<string, string | undefined>>;

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

export interface Expansion {
  readonly value: string;
  /** Variables the text referenced (escaped ones excluded). */
  readonly refs: readonly string[];
  /** Referenced variables that are unset and have no fallback. */
  readonly missing: readonly string[];
  /** True when `${` appears without forming a valid reference. */
  readonly malformed: boolean;
}

/** Pure: expands references in one string. */
export function expandEnv(text: string, env: Env): Expansion {
  const refs: string[] = [];
  const missing: string[] = [];
  const value = text.replace(REFERENCE, (_m, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped === '$') return `\${${name}${fallback === undefined ? '' : `:-${fallback}`}}`;
    refs.push(name);
    const v = env[name];
    if (v !== undefined && (v !== '' || fallback === undefined)) return v;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
  const malformed = text.replace(REFERENCE, '').includes('${');
  return { value, refs, missing, malformed };
}

export interface SubstitutionResult {
  /** Field paths (as formatFieldPath prints them) whose value came from the environment. */
  readonly fromEnv: ReadonlySet<string>;
}

/** Substitutes in place in every scalar value of the document; keys are left alone. */
export function substituteEnv(src: YamlSource, env: Env): SubstitutionResult {
  const fromEnv = new Set<string>();
  const problems: Array<{ line: number; column: number; field: string; message: string }> = [];

  const visitScalar = (node: Scalar, path: PathSegment[]): void => {
    if (typeof node.value !== 'string' || !node.value.includes('$')) return;
    const original = node.value;
    const exp = expandEnv(original, env);
    const field = formatFieldPath(path);
    const at = locate(src, path);
    for (const name of exp.missing) {
      problems.push({ ...at, field, message: `environment variable ${name} is not set (referenced by ${field})` });
    }
    if (exp.malformed) {
      problems.push({
        ...at,
        field,
        message: `${field}: malformed \${...} reference (use \${NAME}, \${NAME:-default}, or $\${ for a literal)`,
      });
    }
    if (exp.refs.length === 0) {
      node.value = exp.value;
      return;
    }
    fromEnv.add(field);
    node.value = node.type === Scalar.PLAIN && WHOLE_REFERENCE.test(original) ? retype(exp.value) : exp.value;
  };

  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isScalar(node)) visitScalar(node, path);
    else if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(src.doc.contents, []);

  if (problems.length > 0) {
    throw new ConfigError(
      `${src.file}: cannot substitute environment variables\n${problems
        .map((p) => `  ${src.file}:${p.line}:${p.column}: ${p.message}`)
        .join('\n')}`,
      { details: { file: src.file, errors: problems } },
    );
  }
  return { fromEnv };
}

/** `8080` → 8080, `true` → true; anything that is not a plain YAML scalar stays a string. */
function retype(text: string): unknown {
  try {
    const v: unknown = parseYaml(text);
    if (typeof v === 'number' || typeof v === 'boolean') return v;
  } catch {
    // not YAML: keep the text
  }
  return text;
}
