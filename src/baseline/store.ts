/**
 * Baselines on disk (FORMAT.md): a directory with manifest.json and one raw float64 file
 * per numeric feature. Written into `<out>.tmp-<pid>` and renamed into place, so readers
 * never see half a profile.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CategoricalBaseline, FeatureBaseline, NumericBaseline } from '../drift/types.js';
import { BaselineError, errorMessage } from '../errors.js';
import { packageVersion } from '../util/package-version.js';
import { float64FromLeBytes, float64LeBytes } from './f64.js';
import { baselineId } from './id.js';
import type { Manifest, ManifestFeature, ManifestNumericFeature } from './manifest.js';
import { parseManifest } from './manifest.js';
import type { Baseline } from './types.js';
import { BaselineFormat } from './types.js';

export const MANIFEST_FILE = 'manifest.json';

export interface WriteBaselineOptions {
  /** Called after each file is durable in the temporary directory (for progress). */
  onFile?: (file: string, index: number, total: number) => void;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeDurable(path: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Writes `baseline` to directory `out`, replacing a baseline already there (never other content). */
export async function writeBaseline(baseline: Baseline, out: string, options: WriteBaselineOptions = {}): Promise<void> {
  const target = resolve(out);
  if (await exists(target)) {
    const entries = await readdir(target).catch(() => null);
    if (entries === null) throw new BaselineError(`${out}: exists and is not a directory; refusing to overwrite it`, { details: { path: out } });
    if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
      throw new BaselineError(`${out}: directory exists and is not a baseline profile; refusing to overwrite it`, { details: { path: out } });
    }
  }
  const tmp = `${target}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    await mkdir(dirname(target), { recursive: true });
    await mkdir(tmp);
    const features = [...baseline.features.values()];
    const numericCount = features.filter((f) => f.kind === 'numeric').length;
    const total = numericCount + 1;
    let written = 0;
    const manifestFeatures: ManifestFeature[] = [];
    for (const [i, f] of features.entries()) {
      if (f.kind === 'numeric') {
        const file = `values-${i}.f64`;
        const bytes = float64LeBytes(f.sorted);
        await writeDurable(join(tmp, file), bytes);
        options.onFile?.(file, ++written, total);
        manifestFeatures.push(numericEntry(f, baseline, { file, encoding: 'float64-le', count: f.sorted.length, sha256: sha256Hex(bytes) }));
      } else {
        manifestFeatures.push(categoricalEntry(f));
      }
    }
    const manifest: Manifest = {
      format: BaselineFormat.name,
      version: BaselineFormat.version,
      id: baseline.id,
      source: baseline.source,
      created_at: baseline.createdAt,
      created_by: `driftwatch ${packageVersion()}`,
      settings: { cap: baseline.settings.cap, seed: baseline.settings.seed, psi_bins: baseline.settings.psiBins },
      features: manifestFeatures,
    };
    await writeDurable(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
    options.onFile?.(MANIFEST_FILE, ++written, total);
    await swapIntoPlace(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (err instanceof BaselineError) throw err;
    throw new BaselineError(`${out}: cannot write baseline: ${errorMessage(err)}`, { cause: err, details: { path: out } });
  }
}

/** rename() cannot replace a non-empty directory: move the old one aside first. */
async function swapIntoPlace(tmp: string, target: string): Promise<void> {
  if (!(await exists(target))) {
    await rename(tmp, target);
    return;
  }
  const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
  await rename(target, old);
  try {
    await rename(tmp, target);
  } catch (err) {
    await rename(old, target);
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}

function numericEntry(f: NumericBaseline, b: Baseline, values: ManifestNumericFeature['values']): ManifestNumericFeature {
  return {
    name: f.name,
    kind: 'numeric',
    row_count: f.rowCount,
    null_count: f.nullCount,
    nan_count: f.nanCount,
    inf_count: f.infCount,
    finite_count: f.finiteCount,
    sampled: f.sampled,
    cap: b.settings.cap,
    seed: b.settings.seed,
    psi_bins: f.psiBins,
    psi_edges: Array.from(f.psiEdges),
    values,
  };
}

function categoricalEntry(f: CategoricalBaseline): ManifestFeature {
  const categories = [...f.categories].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0));
  return { name: f.name, kind: 'categorical', row_count: f.rowCount, null_count: f.nullCount, nan_count: f.nanCount, inf_count: f.infCount, categories };
}

/** True when `path` is a directory holding a manifest.json. */
export async function isBaselineDir(path: string): Promise<boolean> {
  return exists(join(path, MANIFEST_FILE));
}

/** Loads and verifies a stored baseline (checksums, order, counts, id). */
export async function loadBaseline(path: string): Promise<Baseline> {
  const manifestPath = join(path, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    const missing = !(await exists(path));
    throw new BaselineError(missing ? `${path}: baseline not found` : `${manifestPath}: cannot read baseline manifest: ${errorMessage(err)}`, {
      cause: err,
      details: { path },
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(`${manifestPath}: not valid JSON (${errorMessage(err)})`, { cause: err, details: { path: manifestPath } });
  }
  const manifest = parseManifest(raw, manifestPath);
  const features = new Map<string, FeatureBaseline>();
  for (const f of manifest.features) {
    features.set(f.name, f.kind === 'numeric' ? await loadNumeric(path, f) : fromCategoricalEntry(f));
  }
  const settings = { cap: manifest.settings.cap, seed: manifest.settings.seed, psiBins: manifest.settings.psi_bins };
  const id = baselineId(settings, features.values());
  if (id !== manifest.id) {
    throw new BaselineError(`${manifestPath}: content does not match its id ${manifest.id.slice(0, 12)}… (edited or corrupt)`, { details: { path } });
  }
  return { id, source: manifest.source, createdAt: manifest.created_at, features, settings };
}

async function loadNumeric(dir: string, f: ManifestNumericFeature): Promise<NumericBaseline> {
  const file = join(dir, f.values.file);
  const problem = (what: string): BaselineError =>
    new BaselineError(`${file}: values of feature "${f.name}" ${what}`, { details: { path: file, feature: f.name } });
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new BaselineError(`${file}: cannot read values of feature "${f.name}": ${errorMessage(err)}`, { cause: err, details: { path: file, feature: f.name } });
  }
  if (bytes.byteLength !== f.values.count * 8) throw problem(`have ${bytes.byteLength} bytes, expected ${f.values.count} float64 (${f.values.count * 8} bytes)`);
  if (sha256Hex(bytes) !== f.values.sha256) throw problem('fail their sha256 check (corrupt file)');
  const sorted = float64FromLeBytes(bytes);
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (!Number.isFinite(v) || (i > 0 && v < sorted[i - 1]!)) throw problem(`are not finite and ascending at index ${i}`);
  }
  return {
    kind: 'numeric',
    name: f.name,
    rowCount: f.row_count,
    nullCount: f.null_count,
    nanCount: f.nan_count,
    infCount: f.inf_count,
    finiteCount: f.finite_count,
    sorted,
    sampled: f.sampled,
    psiBins: f.psi_bins,
    psiEdges: Float64Array.from(f.psi_edges),
  };
}

function fromCategoricalEntry(f: Extract<ManifestFeature, { kind: 'categorical' }>): CategoricalBaseline {
  return {
    kind: 'categorical',
    name: f.name,
    rowCount: f.row_count,
    nullCount: f.null_count,
    nanCount: f.nan_count,
    infCount: f.inf_count,
    categories: new Map(f.categories),
  };
}
