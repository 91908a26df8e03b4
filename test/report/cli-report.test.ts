import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildBaseline } from '../../src/baseline/build.js';
import { writeBaseline } from '../../src/baseline/store.js';
import { main } from '../../src/cli/main.js';
import { parseTimeArg } from '../../src/cli/commands/report.js';
import { sampleReportData } from './sample-data.js';
import { writeStore } from './store-fixture.js';

let dir: string;
let db: string;
let baselineDir: string;
let baselineId: string;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dw-report-cli-'));
  db = join(dir, 'store.duckdb');
  await writeStore(db, [sampleReportData()]);
  // A real baseline profile, built by `driftwatch baseline build`'s code from a CSV.
  const csv = ['amount,country'];
  for (let i = 0; i < 2000; i++) csv.push(`${(20 + ((i * 7919) % 2000) / 20).toFixed(2)},${['DE', 'FR', 'NL', 'ES'][i % 4]}`);
  await writeFile(join(dir, 'train.csv'), `${csv.join('\n')}\n`);
  const baseline = await buildBaseline({ from: join(dir, 'train.csv') });
  baselineDir = join(dir, 'baseline');
  await writeBaseline(baseline, baselineDir);
  baselineId = baseline.id;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('driftwatch report', () => {
  it('writes a report from --config: store, stream baseline and rule thresholds', async () => {
    const rules = join(dir, 'rules');
    await mkdir(rules, { recursive: true });
    await writeFile(join(rules, 'amount.yaml'), 'feature: amount\ntests:\n  psi: { warn: 0.2, critical: 0.3 }\n');
    const cfg = join(dir, 'driftwatch.yaml');
    await writeFile(
      cfg,
      `kafka: { brokers: [127.0.0.1:9092] }
streams:
  - name: transactions
    topic: transactions
    encoding: json
    schema: ${join(dir, 'tx.schema.json')}
    baseline: ${baselineDir}
storage: { duckdb: ${db} }
rules: { dir: ${rules} }
`,
    );
    const out = join(dir, 'report.html');
    const r = await run(['report', '--config', cfg, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*report\.html: stream transactions, 6 features \(3 drifted\), 6 alert events, \d+ KiB\n$/);
    const html = await readFile(out, 'utf8');
    expect(html).toContain(`<dd>${baselineId}</dd>`);
    const amount = html.slice(html.indexOf('id="f-amount"'), html.indexOf('</section>', html.indexOf('id="f-amount"')));
    expect(amount.match(/class="bar-baseline"/g)).toHaveLength(10);
    expect(amount.match(/class="bar-current"/g)).toHaveLength(10);
    const psiChart = amount.slice(amount.indexOf('metric-psi'), amount.indexOf('</svg>', amount.indexOf('metric-psi')));
    expect(psiChart).toContain('>warn 0.2</text>');
    expect(psiChart).toContain('>critical 0.3</text>');
  });

  it('takes --db, --stream and a --from/--to range', async () => {
    const out = join(dir, 'range.html');
    const r = await run(['report', '--db', db, '--stream', 'transactions', '--from', '2026-11-22T00:00Z', '--to', '2026-11-22 12:00', '--out', out, '--title', 'Night shift']);
    expect(r.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<h1>Night shift</h1>');
    expect(html).toContain('2026-11-22 00:00 – 12:00 UTC');
  });

  it('fails with a clear message and exit code 2 on bad use', async () => {
    let r = await run(['report', '--out', join(dir, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give --db <duckdb file> or --config <driftwatch.yaml> [DW_USAGE]');
    r = await run(['report', '--db', db, '--from', '2026-11-23', '--to', '2026-11-22', '--out', join(dir, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--from (2026-11-23T00:00:00.000Z) must be before --to');
    r = await run(['report', '--db', join(dir, 'nope.duckdb'), '--out', join(dir, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`DuckDB file ${join(dir, 'nope.duckdb')} does not exist [DW_INPUT_NOT_FOUND]`);
    r = await run(['report', '--db', db, '--from', 'yesterday', '--out', join(dir, 'x.html')]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("'yesterday' is not a time");
  });
});

describe('parseTimeArg', () => {
  it('reads ISO times (UTC when no zone), epoch ms, and ages', () => {
    const now = Date.UTC(2026, 10, 23, 12);
    expect(parseTimeArg('2026-11-23', now)).toBe(Date.UTC(2026, 10, 23));
    expect(parseTimeArg('2026-11-23T14:30', now)).toBe(Date.UTC(2026, 10, 23, 14, 30));
    expect(parseTimeArg('2026-11-23T14:30+01:00', now)).toBe(Date.UTC(2026, 10, 23, 13, 30));
    expect(parseTimeArg('1795219200000', now)).toBe(1795219200000);
    expect(parseTimeArg('24h', now)).toBe(Date.UTC(2026, 10, 22, 12));
    expect(() => parseTimeArg('soon', now)).toThrow(/not a time/);
  });
});
