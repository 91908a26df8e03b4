/**
 * One rule file: YAML → plain object checked against schemas/rule.schema.json, with a
 * line locator kept for later (semantic) errors.
 */
import type { FeatureKind } from '../drift/types.js';
import { isSyntaxProblem, parseYamlLocated, dottedPath } from './yaml-locate.js';
import { describeAjvError, errorKey, ruleValidators, usefulErrors } from './schema.js';

export interface RawLevels {
  warn?: number | null;
  critical?: number | null;
}

export interface RawRetrain {
  on?: 'critical' | 'off';
  model?: string;
  drifted_share?: number;
  cooldown?: string | number;
}

/** A rule or defaults file as written (after schema validation). */
export interface RawRuleDoc {
  feature?: string;
  stream?: string;
  type?: FeatureKind;
  tests?: Record<string, RawLevels | false | null>;
  psi_bins?: number;
  min_samples?: number;
  fire_after?: number;
  resolve_after?: number;
  repeat_interval?: string | number;
  cooldown?: string | number;
  channels?: string[];
  labels?: Record<string, string | number | boolean>;
  retrain?: false | 'off' | RawRetrain;
  p_adjust?: 'none' | 'bonferroni' | 'benjamini-hochberg';
  description?: string;
}

export interface RuleProblem {
  readonly file: string;
  readonly line: number;
  /** Dotted path of the field, e.g. `tests.psi.warn`, or `(file)`. */
  readonly field: string;
  readonly message: string;
}

export function formatProblem(p: RuleProblem): string {
  return `${p.file}:${p.line} ${p.field}: ${p.message}`;
}

export interface RuleFile {
  readonly path: string;
  readonly isDefaults: boolean;
  readonly doc: RawRuleDoc;
  lineOf(pointer: string, key?: string): number;
}

export function parseRuleFile(
  path: string,
  text: string,
  isDefaults: boolean,
): { file?: RuleFile; problems: RuleProblem[] } {
  const parsed = parseYamlLocated(text);
  if (isSyntaxProblem(parsed)) {
    return { problems: [{ file: path, line: parsed.line, field: '(yaml)', message: `YAML syntax error: ${parsed.message}` }] };
  }
  // An empty defaults file is fine (it changes nothing); an empty rule file names no feature.
  const value = parsed.value ?? (isDefaults ? {} : null);
  if (value === null) {
    return { problems: [{ file: path, line: 1, field: '(file)', message: "file is empty; a rule needs at least 'feature'" }] };
  }
  const validators = ruleValidators();
  const validate = isDefaults ? validators.defaults : validators.rule;
  if (!validate(value)) {
    const problems = usefulErrors(validate.errors ?? []).map((err) => {
      const key = errorKey(err);
      return {
        file: path,
        line: parsed.lineOf(err.instancePath, key),
        field: dottedPath(err.instancePath, key),
        message: describeAjvError(err),
      };
    });
    return { problems };
  }
  return {
    file: { path, isDefaults, doc: value as RawRuleDoc, lineOf: (p, k) => parsed.lineOf(p, k) },
    problems: [],
  };
}
