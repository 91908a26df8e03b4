import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber, renderTable } from '../../src/cli/commands/check.js';
import { runCli } from './run-cli.js';

const data = join(import.meta.dirname, '..', 'fixtures', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'dw-cli-check-'));
const profile = join(tmp, 'profile');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  const built = await runCli(['baseline', 'build', '--from', join(data, 'train.parquet'), '--out', profile]);
  expect(built.code).toBe(0);
});

const numericKeys = ['psi', 'ks', 'jensen_shannon', 'wasserstein', 'wasserstein_normed'];
const categoricalKeys = ['psi', 'chi2', 'jensen_shannon'];

describe('driftwatch check', () => {
  it('prints the documented JSON shape and exits 0 even with drift', async () => {
    const run = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.csv'), '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('}\n')).toBe(true);
    const out = JSON.parse(run.stdout) as { features: Array<Record<string, unknown>> };
    expect(Object.keys(out)[0]).toBe('features');
    expect(out.features.map((f) => f.feature)).toEqual(['id', 'amount', 'city', 'is_member']);
    for (const f of out.features) {
      expect(Object.keys(f)).toEqual(['feature', 'type', 'n_baseline', 'n_current', 'null_rate_baseline', 'null_rate_current', 'metrics', 'status']);
      expect(typeof f.n_baseline).toBe('number');
      expect(f.null_rate_current).toBeGreaterThanOrEqual(0);
      const metrics = f.metrics as Record<string, unknown>;
      expect(Object.keys(metrics)).toEqual(f.type === 'numeric' ? numericKeys : categoricalKeys);
      if (f.type === 'numeric') expect(Object.keys(metrics.ks as object)).toEqual(['statistic', 'pvalue']);
      else expect(Object.keys(metrics.chi2 as object)).toEqual(['statistic', 'pvalue', 'dof']);
      expect(['ok', 'warn', 'critical']).toContain(f.status);
    }
    const amount = out.features[1]!;
    expect(amount).toMatchObject({ type: 'numeric', n_baseline: 490, status: 'critical' });
    expect(amount.n_current).toBeGreaterThan(280);
    expect((amount.metrics as { psi: number }).psi).toBeGreaterThanOrEqual(0.25);
  });

  it('writes a self-contained HTML report with --html', async () => {
    const html = join(tmp, 'check.html');
    const run = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.csv'), '--format', 'json', '--html', html]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(html);
    const text = readFileSync(html, 'utf8');
    expect(text).toMatch(/^<!doctype html>/i);
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/i);
    for (const feature of ['amount', 'city']) expect(text).toContain(feature);
    // One overlaid histogram per feature: the baseline and the current bars are both drawn.
    expect((text.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
  });

  it('prints an aligned table by default', async () => {
    const run = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.parquet'), '--features', 'amount,city']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^baseline [0-9a-f]{12} \(.*train\.parquet\) vs .*current\.parquet$/);
    expect(lines[2]).toMatch(/^feature\s+type\s+n_base\s+n_cur\s+null_base\s+null_cur\s+psi\s+ks\/chi2\s+p-value\s+js\s+wass_norm\s+status$/);
    expect(lines[4]).toMatch(/^amount\s+numeric\s+490\s+\d+\s+2\.0%\s+[\d.]+%\s+[\d.]+\s+.*critical$/);
    expect(lines[5]).toMatch(/^city\s+categorical\s+/);
    // Columns line up: every row's status starts where the header's does.
    const statusAt = lines[2]!.indexOf('status');
    expect(lines[4]!.slice(statusAt)).toBe('critical');
  });

  it('takes a raw training file as the baseline', async () => {
    const run = await runCli(['check', '--baseline', join(data, 'train.csv'), '--current', join(data, 'train.jsonl'), '--format', 'json', '--bins', '5']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { features: Array<{ status: string; metrics: { psi: number } }> };
    expect(out.features).toHaveLength(4);
    for (const f of out.features) {
      expect(f.status).toBe('ok');
      expect(f.metrics.psi).toBeCloseTo(0, 12);
    }
  });

  it('exits non-zero with a clear message on bad input', async () => {
    const missing = join(tmp, 'missing.csv');
    let run = await runCli(['check', '--baseline', profile, '--current', missing]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`driftwatch: ${missing}: file not found [DW_INPUT_NOT_FOUND]\n`);

    run = await runCli(['check', '--baseline', join(tmp, 'nothing-here'), '--current', join(data, 'current.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nothing-here: baseline not found \[DW_BASELINE_INVALID\]/);

    run = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.csv'), '--features', 'amount,zzz']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/baseline has no feature "zzz".*\[DW_FEATURE_UNKNOWN\]/);

    run = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.csv'), '--format', 'xml']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/argument 'xml' is invalid\. Allowed choices are json, table/);

    run = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.csv'), '--bins', '1']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--bins <n>' argument '1' is invalid\. expected an integer ≥ 2/);

    run = await runCli(['check', '--current', join(data, 'current.csv')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/required option '--baseline <path>' not specified/);
  });

  it('applies a rules directory to decide the status', async () => {
    const rules = join(tmp, 'rules');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(rules);
    // Only PSI, with thresholds no data reaches: amount drifts hard, yet the rules say ok.
    writeFileSync(
      join(rules, 'amount.yaml'),
      'feature: amount\ntests:\n  psi: { warn: 100, critical: 200 }\n  ks_statistic: false\n  jensen_shannon: false\n  wasserstein_normed: false\n  null_rate_increase: false\nmin_samples: 10\n',
    );
    const run = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.csv'), '--features', 'amount', '--format', 'json', '--rules', rules]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { features: Array<{ status: string }> };
    expect(out.features[0]!.status).toBe('ok');

    const missing = await runCli(['check', '--baseline', profile, '--current', join(data, 'current.csv'), '--rules', join(tmp, 'no-rules')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-rules does not exist/);
  });
});

describe('table helpers', () => {
  it('aligns text left and numbers right', () => {
    expect(renderTable(['name', 'n'], [['a', '1'], ['long', '100']])).toBe('name    n\n----  ---\na       1\nlong  100');
  });

  it('formats numbers compactly', () => {
    expect([formatNumber(0.123456), formatNumber(1.5e-7), formatNumber(undefined), formatNumber(0), formatNumber(12345.678)]).toEqual([
      '0.1235',
      '1.50e-7',
      '-',
      '0',
      '12350',
    ]);
  });
});
