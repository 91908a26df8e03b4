/**
 * Loads a rules directory into a frozen RuleSet:
 *   rules/_defaults.yaml            defaults for every stream (optional)
 *   rules/<feature>.yaml            a rule for any stream (or the stream its `stream:` names)
 *   rules/<stream>/_defaults.yaml   defaults for one stream (optional)
 *   rules/<stream>/<feature>.yaml   a rule for one stream
 * Every problem in every file is collected and reported at once as one RuleError whose
 * message lists `file:line field: reason`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { FeatureKind } from '../drift/types.js';
import { InputNotFoundError, RuleError } from '../errors.js';
import { BUILTIN_DEFAULTS_FILE, builtinDefaults } from './defaults.js';
import { applyLayer, cloneDraft, emptyDraft, finalizeRule } from './merge.js';
import type { Draft, Layer } from './merge.js';
import { formatProblem, parseRuleFile } from './parse-file.js';
import type { RawRuleDoc, RuleFile, RuleProblem } from './parse-file.js';
import type { PAdjustMethod, Rule, RuleSet } from './types.js';

export const ANY_STREAM = '*';
const DEFAULTS_NAMES = new Set(['_defaults.yaml', '_defaults.yml']);

export interface LoadRulesOptions {
  /**
   * Features of the baseline profile: names, or name → kind. When given, a rule for a
   * feature not in it is refused, and so is a `type:` that contradicts the baseline.
   */
  readonly baselineFeatures?: Iterable<string> | ReadonlyMap<string, FeatureKind>;
}

const builtinLayer: Layer = { path: BUILTIN_DEFAULTS_FILE, doc: builtinDefaults as unknown as RawRuleDoc, lineOf: () => 0 };

function baseDraft(): Draft {
  const draft = emptyDraft();
  applyLayer(draft, builtinLayer, []);
  return draft;
}

/** Files below `dir`: [path relative to dir, absolute path], sorted for stable output. */
function listYaml(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (/\.ya?ml$/i.test(name)) out.push([relative(dir, abs), abs]);
    }
  };
  walk(dir);
  return out;
}

/** Loads and checks every rule file under `dir`. Throws RuleError listing all problems. */
export function loadRules(dir: string, options: LoadRulesOptions = {}): RuleSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputNotFoundError(`rules directory ${dir} does not exist or is not a directory`, { details: { dir } });
  }
  const problems: RuleProblem[] = [];
  const files: RuleFile[] = [];
  for (const [rel, abs] of listYaml(dir)) {
    const shown = join(dir, rel);
    const isDefaults = DEFAULTS_NAMES.has(basename(rel));
    const { file, problems: p } = parseRuleFile(shown, readFileSync(abs, 'utf8'), isDefaults);
    problems.push(...p);
    if (file) files.push(file);
  }
  const streamOfDir = (file: RuleFile): string | undefined => {
    const parts = relative(dir, file.path).split(sep);
    return parts.length > 1 ? parts[0] : undefined;
  };

  // Defaults: global, then per stream directory.
  const globalDraft = baseDraft();
  const globalSources = [BUILTIN_DEFAULTS_FILE];
  const streamDefaultFiles = new Map<string, RuleFile>();
  for (const f of files.filter((x) => x.isDefaults)) {
    const stream = streamOfDir(f);
    if (stream === undefined) {
      applyLayer(globalDraft, f, problems);
      globalSources.push(f.path);
    } else {
      streamDefaultFiles.set(stream, f);
    }
  }
  const defaultsFor = new Map<string, { draft: Draft; sources: string[] }>();
  defaultsFor.set(ANY_STREAM, { draft: globalDraft, sources: globalSources });
  for (const [stream, f] of streamDefaultFiles) {
    const draft = cloneDraft(globalDraft);
    applyLayer(draft, f, problems);
    defaultsFor.set(stream, { draft, sources: [...globalSources, f.path] });
  }
  const defaultRules = new Map<string, Rule>();
  const pAdjust = new Map<string, PAdjustMethod>();
  for (const [stream, { draft, sources }] of defaultsFor) {
    defaultRules.set(stream, finalizeRule(draft, { feature: '*', stream, sources }, undefined, problems));
    pAdjust.set(stream, draft.pAdjust);
  }

  const known = knownFeatures(options.baselineFeatures);
  const byKey = new Map<string, Rule>();
  const firstFile = new Map<string, string>();
  for (const f of files.filter((x) => !x.isDefaults)) {
    const dirStream = streamOfDir(f);
    const feature = f.doc.feature as string; // required by the schema
    if (f.doc.stream !== undefined && dirStream !== undefined && f.doc.stream !== dirStream) {
      problems.push({
        file: f.path,
        line: f.lineOf('/stream'),
        field: 'stream',
        message: `stream '${f.doc.stream}' differs from its directory '${dirStream}'; move the file or drop the key`,
      });
    }
    const stream = f.doc.stream ?? dirStream ?? ANY_STREAM;
    if (known !== undefined) checkAgainstBaseline(f, feature, known, problems);
    const key = `${stream}/${feature}`;
    const prior = firstFile.get(key);
    if (prior !== undefined) {
      problems.push({
        file: f.path,
        line: f.lineOf('/feature'),
        field: 'feature',
        message: `a rule for feature '${feature}' on stream '${stream}' already exists in ${prior}`,
      });
      continue;
    }
    firstFile.set(key, f.path);
    const base = defaultsFor.get(stream) ?? defaultsFor.get(ANY_STREAM)!;
    const draft = cloneDraft(base.draft);
    applyLayer(draft, f, problems);
    byKey.set(key, finalizeRule(draft, { feature, stream, sources: [...base.sources, f.path] }, f, problems));
  }

  if (problems.length > 0) throw rulesError(dir, problems);
  return makeRuleSet(dir, [...byKey.values()], defaultRules, pAdjust);
}

/** The built-in defaults alone (no rules directory configured). */
export function defaultRuleSet(): RuleSet {
  const problems: RuleProblem[] = [];
  const draft = baseDraft();
  const rule = finalizeRule(draft, { feature: '*', stream: ANY_STREAM, sources: [BUILTIN_DEFAULTS_FILE] }, undefined, problems);
  return makeRuleSet(undefined, [], new Map([[ANY_STREAM, rule]]), new Map([[ANY_STREAM, draft.pAdjust]]));
}

function makeRuleSet(
  dir: string | undefined,
  rules: Rule[],
  defaults: ReadonlyMap<string, Rule>,
  pAdjust: ReadonlyMap<string, PAdjustMethod>,
): RuleSet {
  const byKey = new Map(rules.map((r) => [`${r.stream}/${r.feature}`, r]));
  const globalDefaults = defaults.get(ANY_STREAM)!;
  const set: RuleSet = {
    ...(dir !== undefined ? { dir } : {}),
    rules: Object.freeze([...rules]),
    pAdjustFor: (stream: string) => pAdjust.get(stream) ?? pAdjust.get(ANY_STREAM) ?? 'none',
    defaultsFor: (stream: string) => defaults.get(stream) ?? globalDefaults,
    ruleFor: (stream: string, feature: string) =>
      byKey.get(`${stream}/${feature}`) ?? byKey.get(`${ANY_STREAM}/${feature}`) ?? defaults.get(stream) ?? globalDefaults,
  };
  return Object.freeze(set);
}

function knownFeatures(b: LoadRulesOptions['baselineFeatures']): ReadonlyMap<string, FeatureKind | undefined> | undefined {
  if (b === undefined) return undefined;
  if (b instanceof Map) return b as ReadonlyMap<string, FeatureKind>;
  return new Map([...(b as Iterable<string>)].map((n) => [n, undefined]));
}

function checkAgainstBaseline(
  f: RuleFile,
  feature: string,
  known: ReadonlyMap<string, FeatureKind | undefined>,
  problems: RuleProblem[],
): void {
  if (!known.has(feature)) {
    const names = [...known.keys()].sort();
    const list = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
    problems.push({
      file: f.path,
      line: f.lineOf('/feature'),
      field: 'feature',
      message: `unknown feature '${feature}': not in the baseline (known: ${list || 'none'})`,
    });
    return;
  }
  const kind = known.get(feature);
  if (kind !== undefined && f.doc.type !== undefined && f.doc.type !== kind) {
    problems.push({
      file: f.path,
      line: f.lineOf('/type'),
      field: 'type',
      message: `type ${f.doc.type} contradicts the baseline, where '${feature}' is ${kind}`,
    });
  }
}

function rulesError(dir: string, problems: RuleProblem[]): RuleError {
  const lines = problems.map(formatProblem);
  const message =
    lines.length === 1 ? `invalid rule: ${lines[0]}` : `${lines.length} problems in rules under ${dir}:\n  ${lines.join('\n  ')}`;
  return new RuleError(message, { details: { dir, problems } });
}
