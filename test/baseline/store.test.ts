import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CategoricalBaseline, FeatureBaseline, NumericBaseline } from '../../src/drift/types.js';
import { BaselineError, ErrorCodes } from '../../src/errors.js';
import { baselineId } from '../../src/baseline/id.js';
import { isBaselineDir, loadBaseline, writeBaseline } from '../../src/baseline/store.js';
import type { Baseline, BaselineSettings } from '../../src/baseline/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'dw-baseline-store-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let dirCounter = 0;
const freshDir = (): string => join(tmp, `b${++dirCounter}`);

function numeric(name: string, sorted: Float64Array, extra: Partial<NumericBaseline> = {}): NumericBaseline {
  return {
    kind: 'numeric',
    name,
    rowCount: sorted.length + 3,
    nullCount: 1,
    nanCount: 1,
    infCount: 1,
    finiteCount: sorted.length,
    sorted,
    sampled: false,
    psiBins: 4,
    psiEdges: Float64Array.from([sorted[1]!, sorted[2]!, sorted[3]!]),
    ...extra,
  };
}

const city: CategoricalBaseline = {
  kind: 'categorical',
  name: 'city',
  rowCount: 10,
  nullCount: 2,
  nanCount: 0,
  infCount: 0,
  categories: new Map([
    ['Paris', 5],
    ['Lyon', 2],
    ['"quoted", comma', 1],
  ]),
};

function baseline(features: FeatureBaseline[], settings: BaselineSettings = { cap: 1000, seed: 7, psiBins: 4 }): Baseline {
  const map = new Map(features.map((f) => [f.name, f]));
  return { id: baselineId(settings, map.values()), source: 'data/train.csv', createdAt: '2026-01-02T03:04:05.000Z', features: map, settings };
}

const amount = numeric('amount', Float64Array.from([-1e300, -2.5, 0, 1 / 3, 0.1 + 0.2, 5e-324, 42, 1e300].sort((a, b) => a - b)));
const sample = baseline([amount, city, numeric('weird name/with "quotes"', Float64Array.from([1, 2, 3, 4, 5]))]);

async function written(b: Baseline = sample): Promise<string> {
  const dir = freshDir();
  await writeBaseline(b, dir);
  return dir;
}

async function loadError(dir: string): Promise<BaselineError> {
  const err = await loadBaseline(dir).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BaselineError);
  expect((err as BaselineError).code).toBe(ErrorCodes.BASELINE_INVALID);
  return err as BaselineError;
}

function editManifest(dir: string, edit: (m: Record<string, any>) => void): void {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
  edit(m);
  writeFileSync(path, JSON.stringify(m));
}

describe('writeBaseline / loadBaseline', () => {
  it('round-trips values, counts, edges, categories and settings exactly', async () => {
    const dir = await written();
    expect(await isBaselineDir(dir)).toBe(true);
    const loaded = await loadBaseline(dir);
    expect(loaded.id).toBe(sample.id);
    expect(loaded.id).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.source).toBe('data/train.csv');
    expect(loaded.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(loaded.settings).toEqual({ cap: 1000, seed: 7, psiBins: 4 });
    expect([...loaded.features.keys()]).toEqual([...sample.features.keys()]);
    for (const [name, f] of sample.features) expect(loaded.features.get(name)).toEqual(f);
    const a = loaded.features.get('amount') as NumericBaseline;
    expect(Array.from(a.sorted)).toEqual(Array.from(amount.sorted));
    expect(a.sorted[6]).toBe(42);
    expect(a.sorted[3]).toBe(5e-324);
  });

  it('writes a readable manifest with the documented fields', async () => {
    const dir = await written();
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'driftwatch-baseline', version: 1, id: sample.id, source: 'data/train.csv', settings: { cap: 1000, seed: 7, psi_bins: 4 } });
    expect(m.features[0]).toMatchObject({
      name: 'amount',
      kind: 'numeric',
      row_count: 11,
      null_count: 1,
      nan_count: 1,
      inf_count: 1,
      finite_count: 8,
      sampled: false,
      cap: 1000,
      seed: 7,
      psi_bins: 4,
      psi_edges: [-2.5, 0, 5e-324],
      values: { file: 'values-0.f64', encoding: 'float64-le', count: 8 },
    });
    expect(m.features[1].categories).toEqual([
      ['Paris', 5],
      ['Lyon', 2],
      ['"quoted", comma', 1],
    ]);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'values-0.f64', 'values-2.f64']);
  });

  it('gives the same id to the same content whatever the source and time', () => {
    const other = { ...sample, source: 'elsewhere.parquet', createdAt: 'now' };
    expect(baselineId(other.settings, other.features.values())).toBe(sample.id);
    expect(baselineId({ ...sample.settings, seed: 8 }, sample.features.values())).not.toBe(sample.id);
    const changed = baseline([numeric('amount', Float64Array.from([1, 2, 3, 4.000000000000001]))]);
    const same = baseline([numeric('amount', Float64Array.from([1, 2, 3, 4]))]);
    expect(changed.id).not.toBe(same.id);
  });

  it('replaces an existing baseline but refuses to overwrite other content', async () => {
    const dir = await written();
    const next = baseline([city]);
    await writeBaseline(next, dir);
    expect((await loadBaseline(dir)).id).toBe(next.id);
    expect(readdirSync(dir)).toEqual(['manifest.json']);
    expect(readdirSync(tmp).filter((n) => n.includes('.old-') || n.includes('.tmp-'))).toEqual([]);

    const foreign = freshDir();
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    await expect(writeBaseline(sample, foreign)).rejects.toThrow(`${foreign}: directory exists and is not a baseline profile`);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
  });

  it('leaves nothing behind when writing fails part-way', async () => {
    const dir = freshDir();
    const failing = writeBaseline(sample, dir, {
      onFile: (_file, index) => {
        if (index === 2) throw new Error('disk full (simulated)');
      },
    });
    await expect(failing).rejects.toThrow(/cannot write baseline: disk full \(simulated\)/);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.startsWith(`b${dirCounter}`))).toEqual([]);
  });

  it('keeps the old baseline intact when rewriting it fails', async () => {
    const dir = await written();
    const attempt = writeBaseline(baseline([city]), dir, {
      onFile: () => {
        throw new Error('crash before commit');
      },
    });
    await expect(attempt).rejects.toThrow(/crash before commit/);
    expect((await loadBaseline(dir)).id).toBe(sample.id);
  });
});

describe('loadBaseline errors', () => {
  it('names a missing profile and a directory without manifest', async () => {
    const missing = join(tmp, 'absent');
    expect((await loadError(missing)).message).toBe(`${missing}: baseline not found`);
    const empty = freshDir();
    mkdirSync(empty);
    expect((await loadError(empty)).message).toMatch(new RegExp(`^${empty}/manifest.json: cannot read baseline manifest`));
  });

  it('refuses an unknown format version and a foreign manifest', async () => {
    const dir = await written();
    editManifest(dir, (m) => (m.version = 2));
    expect((await loadError(dir)).message).toBe(`${join(dir, 'manifest.json')}: version 2 is not supported; this driftwatch reads version 1`);
    editManifest(dir, (m) => (m.format = 'something-else'));
    expect((await loadError(dir)).message).toMatch(/format is "something-else", expected "driftwatch-baseline"/);
  });

  it('refuses corrupt JSON and bad fields, naming the field', async () => {
    const dir = await written();
    writeFileSync(join(dir, 'manifest.json'), '{"format": "driftwatch-baseline", ');
    expect((await loadError(dir)).message).toMatch(/manifest\.json: not valid JSON/);

    const dir2 = await written();
    editManifest(dir2, (m) => (m.features[0].psi_edges = [3, 2]));
    expect((await loadError(dir2)).message).toMatch(/features\[0\]\.psi_edges must be an array of strictly increasing finite numbers/);

    const dir3 = await written();
    editManifest(dir3, (m) => (m.features[1].null_count = 3));
    expect((await loadError(dir3)).message).toMatch(/features\[1\] counts do not add up/);

    const dir4 = await written();
    editManifest(dir4, (m) => (m.features[0].values.file = '../../etc/passwd'));
    expect((await loadError(dir4)).message).toMatch(/features\[0\]\.values\.file must be a plain file name/);
  });

  it('detects a truncated, a modified and a missing values file, naming the feature', async () => {
    const dir = await written();
    const file = join(dir, 'values-0.f64');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, 60));
    let err = await loadError(dir);
    expect(err.message).toBe(`${file}: values of feature "amount" have 60 bytes, expected 8 float64 (64 bytes)`);

    const flipped = Buffer.from(bytes);
    flipped[9] = flipped[9]! ^ 1;
    writeFileSync(file, flipped);
    err = await loadError(dir);
    expect(err.message).toBe(`${file}: values of feature "amount" fail their sha256 check (corrupt file)`);

    rmSync(file);
    err = await loadError(dir);
    expect(err.message).toMatch(new RegExp(`^${file}: cannot read values of feature "amount": ENOENT`));
  });

  it('refuses values that are not ascending even when the checksum matches', async () => {
    const dir = await written();
    const unsorted = Float64Array.from([3, 1, 2, 4, 5]);
    const bytes = new Uint8Array(unsorted.buffer);
    writeFileSync(join(dir, 'values-2.f64'), bytes);
    editManifest(dir, (m) => (m.features[2].values.sha256 = createHash('sha256').update(bytes).digest('hex')));
    expect((await loadError(dir)).message).toContain('values-2.f64: values of feature "weird name/with "quotes"" are not finite and ascending at index 1');
  });

  it('detects an edited manifest through the content id', async () => {
    const dir = await written();
    editManifest(dir, (m) => {
      m.features[1].categories[0][1] = 6;
      m.features[1].row_count = 11;
    });
    expect((await loadError(dir)).message).toMatch(/content does not match its id [0-9a-f]{12}… \(edited or corrupt\)/);
  });
});

describe('load speed', () => {
  it('loads 1M values well under a second', async () => {
    const n = 1_000_000;
    const sorted = new Float64Array(n);
    for (let i = 0; i < n; i++) sorted[i] = i * 0.001 - 300;
    const big = baseline([numeric('big', sorted, { psiBins: 10, psiEdges: Float64Array.from([-200, -100, 0, 100, 200, 300, 400, 500, 600]) })], {
      cap: n,
      seed: 1,
      psiBins: 10,
    });
    const dir = await written(big);
    const timings: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const loaded = await loadBaseline(dir);
      timings.push(performance.now() - t0);
      expect((loaded.features.get('big') as NumericBaseline).sorted.length).toBe(n);
    }
    const best = Math.min(...timings);
    console.log(`loadBaseline 1M values: best ${best.toFixed(1)} ms of ${timings.map((t) => t.toFixed(1)).join(', ')} ms`);
    expect(best).toBeLessThan(500);
  });
});
