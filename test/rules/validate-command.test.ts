import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { baselineId } from '../../src/baseline/id.js';
import { writeBaseline } from '../../src/baseline/store.js';
import type { Baseline } from '../../src/baseline/types.js';
import { registerRules } from '../../src/cli/commands/rules.js';
import type { FeatureBaseline } from '../../src/drift/types.js';
import { RuleError } from '../../src/errors.js';
import { rulesDir } from './helpers.js';

/** Runs `driftwatch rules …` on a program holding only this command; returns stdout. */
async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerRules(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

/** A real baseline profile written by the baseline module (values are irrelevant here). */
async function baselineDir(features: Array<[string, 'numeric' | 'categorical']>): Promise<string> {
  const profile = join(rulesDir({}), 'profile');
  const zero = { nullCount: 0, nanCount: 0, infCount: 0 };
  const settings = { cap: 1_000_000, seed: 42, psiBins: 10 };
  const map = new Map<string, FeatureBaseline>(
    features.map(([name, kind]) => [
      name,
      kind === 'numeric'
        ? { kind, name, ...zero, rowCount: 3, finiteCount: 3, sorted: new Float64Array([1, 2, 3]), sampled: false, psiBins: 10, psiEdges: new Float64Array([1.5, 2.5]) }
        : { kind, name, ...zero, rowCount: 3, categories: new Map([['a', 3]]) },
    ]),
  );
  const baseline: Baseline = {
    id: baselineId(settings, map.values()),
    source: 'train.csv',
    createdAt: '2026-11-23T00:00:00.000Z',
    settings,
    features: map,
  };
  await writeBaseline(baseline, profile);
  return profile;
}

afterEach(() => vi.restoreAllMocks());

describe('driftwatch rules validate', () => {
  it('prints the resolved rules of the example directory', async () => {
    const out = await run(['rules', 'validate', 'rules']);
    expect(out).toMatch(/^rules: 9 feature rules OK/);
    expect(out).toMatch(/\*\s+amount\s+numeric\s+psi 0.1\/0.25/);
    expect(out).toContain('fraud-scorer (share ≥ 0.5)');
    expect(out).toContain('p_adjust: benjamini-hochberg');
  });

  it('fails with file:line field for a bad file', async () => {
    const dir = rulesDir({ 'amount.yaml': 'feature: amount\ntests:\n  psi: { warn: 0.5, critical: 0.2 }\n' });
    await expect(run(['rules', 'validate', dir])).rejects.toThrow(
      new RegExp(`${join(dir, 'amount.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3 tests.psi: warn 0.5 must be less severe`),
    );
  });

  it('checks features against a baseline profile', async () => {
    const dir = rulesDir({ 'amount.yaml': 'feature: amount\n', 'colour.yaml': 'feature: colour\n' });
    const profile = await baselineDir([['amount', 'numeric'], ['country', 'categorical']]);
    const err = await run(['rules', 'validate', dir, '--baseline', profile]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleError);
    expect((err as Error).message).toContain(`${join(dir, 'colour.yaml')}:1 feature: unknown feature 'colour'`);
    // The good feature alone passes.
    const ok = rulesDir({ 'amount.yaml': 'feature: amount\ntype: numeric\n' });
    expect(await run(['rules', 'validate', ok, '--baseline', profile])).toMatch(/1 feature rule OK/);
  });
});
