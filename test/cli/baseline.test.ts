import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBaseline } from '../../src/baseline/build.js';
import { runCli } from './run-cli.js';

const data = join(import.meta.dirname, '..', 'fixtures', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'dw-cli-baseline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('driftwatch baseline build', () => {
  it('writes a profile and reports what it built', async () => {
    const out = join(tmp, 'p1');
    const from = join(data, 'train.csv');
    const run = await runCli(['baseline', 'build', '--from', from, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`driftwatch: warning: ${from}: skipped column(s) of other types: signup_date (DATE)\n`);
    const expected = await buildBaseline({ from });
    expect(run.stdout).toMatch(
      new RegExp(`^baseline ${expected.id.slice(0, 12)} written to ${out}: 4 feature\\(s\\) \\(2 numeric, 2 categorical\\) from ${from} in [\\d.]+ s\\n$`),
    );
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'values-0.f64', 'values-1.f64']);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).id).toBe(expected.id);
  });

  it('passes features, kinds, bins, cap and seed through', async () => {
    const out = join(tmp, 'p2');
    const args = ['--features', 'id,amount,city', '--categorical', 'id', '--bins', '5', '--cap', '100', '--seed', '9'];
    const run = await runCli(['baseline', 'build', '--from', join(data, 'train.parquet'), '--out', out, ...args]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.settings).toEqual({ cap: 100, seed: 9, psi_bins: 5 });
    expect(m.features.map((f: { name: string; kind: string }) => [f.name, f.kind])).toEqual([
      ['id', 'categorical'],
      ['amount', 'numeric'],
      ['city', 'categorical'],
    ]);
    expect(m.features[1]).toMatchObject({ sampled: true, cap: 100, seed: 9, psi_bins: 5, values: { count: 100 } });
    expect(m.features[1].psi_edges).toHaveLength(4);
  });

  it('exits non-zero naming the file and feature on bad input, leaving no profile', async () => {
    const out = join(tmp, 'p3');
    const text = join(data, 'non_numeric.csv');
    let run = await runCli(['baseline', 'build', '--from', text, '--out', out, '--numeric', 'amount']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^driftwatch: ${text}: feature "amount" is read as numeric but has 2 non-numeric value.*\\[DW_INPUT_INVALID\\]\\n$`));
    expect(existsSync(out)).toBe(false);

    run = await runCli(['baseline', 'build', '--from', join(data, 'train.csv'), '--out', out, '--features', 'amount,colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/train\.csv: unknown feature "colour"; columns are: id, amount, city, is_member, signup_date \[DW_FEATURE_UNKNOWN\]/);

    run = await runCli(['baseline', 'build', '--from', join(data, 'train.csv'), '--out', out, '--cap', '0']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--cap <n>' argument '0' is invalid/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

describe('driftwatch baseline show', () => {
  it('prints a summary table of a stored profile', async () => {
    const out = join(tmp, 'p4');
    expect((await runCli(['baseline', 'build', '--from', join(data, 'special.csv'), '--out', out])).code).toBe(0);
    const run = await runCli(['baseline', 'show', out]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^baseline [0-9a-f]{64}$/);
    expect(lines[1]).toBe(`source   ${join(data, 'special.csv')}`);
    expect(lines[3]).toBe('settings psi_bins=10 cap=1000000 seed=42');
    expect(lines[5]).toMatch(/^feature\s+kind\s+rows\s+missing\s+values_kept\s+bins\/cats\s+range \/ top categories$/);
    expect(lines[7]).toMatch(/^amount\s+numeric\s+7\s+57\.1%\s+3\s+\d+\s+-3 … 2\.5$/);
    expect(lines[9]).toMatch(/^label\s+categorical\s+7\s+28\.6%\s+-\s+2\s+"a":3, "b":2$/);
  });

  it('exits 2 naming the path of a missing or corrupt profile', async () => {
    const missing = join(tmp, 'nope');
    const run = await runCli(['baseline', 'show', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`driftwatch: ${missing}: baseline not found [DW_BASELINE_INVALID]\n`);
  });
});
