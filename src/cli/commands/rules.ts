/**
 * `driftwatch rules validate [dir] [--baseline <profile dir>]`: loads every rule file as the
 * pipeline would and prints a summary, or fails listing each problem as `file:line field: reason`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parseManifest } from '../../baseline/manifest.js';
import { MANIFEST_FILE } from '../../baseline/store.js';
import type { FeatureKind } from '../../drift/types.js';
import { BaselineError, errorMessage } from '../../errors.js';
import { loadRules } from '../../rules/load.js';
import { ruleTests } from '../../rules/tests.js';
import type { Rule, RuleSet, RuleTestName } from '../../rules/types.js';
import { formatDuration } from '../../util/duration.js';

/** Feature name → kind from a baseline profile's manifest (values are not loaded). */
export async function baselineFeatureKinds(dir: string): Promise<Map<string, FeatureKind>> {
  const path = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new BaselineError(`${path}: cannot read baseline manifest: ${errorMessage(err)}`, { details: { path } });
  }
  const manifest = parseManifest(raw, path);
  return new Map(manifest.features.map((f) => [f.name, f.kind]));
}

/** Left-aligned columns (kept here so this command does not load the drift engine). */
function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function describeRule(r: Rule): string[] {
  const tests = Object.entries(r.tests)
    .filter(([name]) => r.type === undefined || (ruleTests[name as RuleTestName].kinds as readonly string[]).includes(r.type))
    .map(([name, t]) => `${name} ${t.warn ?? '-'}/${t.critical ?? '-'}`)
    .join(', ');
  const retrain = r.retrain.on === 'critical' ? `${r.retrain.model ?? '?'}${r.retrain.driftedShare !== undefined ? ` (share ≥ ${r.retrain.driftedShare})` : ''}` : 'off';
  return [
    r.stream,
    r.feature,
    r.type ?? 'any',
    tests,
    `${r.fireAfter}/${r.resolveAfter}`,
    formatDuration(r.repeatIntervalMs),
    r.channels.join(',') || '(none)',
    retrain,
  ];
}

export function rulesSummary(set: RuleSet): string {
  const rows = [...set.rules.map(describeRule), describeRule(set.defaultsFor('*'))];
  const header = ['stream', 'feature', 'type', 'tests warn/critical', 'fire/resolve', 'repeat', 'channels', 'retrain'];
  return `${renderTable(header, rows)}\n\np_adjust: ${set.pAdjustFor('*')}\n`;
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('per-feature drift rules');
  rules
    .command('validate')
    .description('check every rule file (YAML syntax, schema, thresholds, features) and print the resolved rules')
    .argument('[dir]', 'rules directory', 'rules')
    .option('--baseline <dir>', 'baseline profile: refuse rules for features it does not have')
    .option('-q, --quiet', 'print only problems')
    .action(async (dir: string, opts: { baseline?: string; quiet?: boolean }) => {
      const baselineFeatures = opts.baseline === undefined ? undefined : await baselineFeatureKinds(opts.baseline);
      const set = loadRules(dir, baselineFeatures === undefined ? {} : { baselineFeatures });
      if (!opts.quiet) {
        process.stdout.write(`${dir}: ${set.rules.length} feature rule${set.rules.length === 1 ? '' : 's'} OK\n\n${rulesSummary(set)}`);
      }
    });
}
