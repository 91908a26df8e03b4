/**
 * Drift maths throughput: a 1,000,000-value baseline against a 100,000-value window.
 *
 *   npx tsx bench/drift.ts [--runs 7]
 *
 * 1. one numeric feature, all metrics (psi, ks, jensen_shannon, wasserstein[_normed]) through
 *    compareFeature, plus a per-metric breakdown; median of --runs runs;
 * 2. ten numeric features of different shapes (normal, lognormal, integer ties, Cauchy, …);
 * 3. the same work in numpy/scipy when scripts/fixtures/.venv exists (gen_drift_fixtures.sh).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binCountsSorted } from '../src/drift/bins.js';
import { compareFeature, numericBaselineFromValues, numericSampleFromValues } from '../src/drift/compare.js';
import { jensenShannonFromCounts } from '../src/drift/jensen-shannon.js';
import { ks2SampSorted } from '../src/drift/ks.js';
import { seededRandom } from '../src/drift/prng.js';
import { psiFromCounts } from '../src/drift/psi.js';
import type { NumericBaseline, NumericSample } from '../src/drift/types.js';
import { wassersteinSorted } from '../src/drift/wasserstein.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BASE_N = 1_000_000;
const CUR_N = 100_000;

type Shape = (rand: () => number, normal: () => number) => number;

/** Ten feature shapes; the window of each is shifted a little so the tests have something to find. */
const SHAPES: ReadonlyArray<{ name: string; base: Shape; cur: Shape }> = [
  { name: 'normal', base: (_r, n) => n(), cur: (_r, n) => n() + 0.02 },
  { name: 'normal_scaled', base: (_r, n) => 10 + 3 * n(), cur: (_r, n) => 10 + 3.3 * n() },
  { name: 'lognormal', base: (_r, n) => Math.exp(n()), cur: (_r, n) => Math.exp(n() + 0.05) },
  { name: 'uniform', base: (r) => r(), cur: (r) => r() },
  { name: 'int_0_100', base: (r) => Math.floor(r() * 100), cur: (r) => Math.floor(r() * 101) },
  { name: 'int_0_4', base: (r) => Math.floor(r() * 5), cur: (r) => Math.floor(r() * 5) },
  { name: 'cauchy', base: (r) => Math.tan(Math.PI * (r() - 0.5)), cur: (r) => Math.tan(Math.PI * (r() - 0.5)) + 0.1 },
  { name: 'exponential', base: (r) => -Math.log(1 - r()), cur: (r) => -Math.log(1 - r()) * 1.1 },
  { name: 'bimodal', base: (r, n) => (r() < 0.5 ? -2 : 2) + n(), cur: (r, n) => (r() < 0.6 ? -2 : 2) + n() },
  { name: 'hour_of_day', base: (r) => Math.floor(r() * 24), cur: (r) => Math.floor(r() * 24) },
];

function generators(seed: number): { rand: () => number; normal: () => number } {
  const rand = seededRandom(seed);
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // Box–Muller; 1 − u keeps the log argument in (0, 1].
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { rand, normal };
}

function column(n: number, shape: Shape, seed: number): Float64Array {
  const { rand, normal } = generators(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = shape(rand, normal);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(runs: number, fn: () => void): number {
  fn(); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

interface Feature {
  readonly name: string;
  readonly raw: Float64Array;
  readonly baseline: NumericBaseline;
  readonly window: NumericSample;
}

function makeFeatures(): Feature[] {
  return SHAPES.map((s, i) => {
    const raw = column(BASE_N, s.base, 1000 + i);
    return {
      name: s.name,
      raw,
      baseline: numericBaselineFromValues(s.name, raw),
      window: numericSampleFromValues(column(CUR_N, s.cur, 2000 + i)),
    };
  });
}

const PY_BENCH = String.raw`
import sys, time, numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon
d, k, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
feats = [(np.sort(np.fromfile(f"{d}/b{i}.f64")), np.fromfile(f"{d}/c{i}.f64")) for i in range(k)]
# What the baseline profile freezes (sorted values, edges, std) is computed once, outside the timing.
prep = [(b, np.unique(np.quantile(b, np.arange(1, 10) / 10)), max(float(np.std(b)), 0.001)) for b, _ in feats]
def one(i):
    b, edges, sd = prep[i]; c = feats[i][1]
    bc = np.bincount(np.searchsorted(edges, b, 'right'), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, c, 'right'), minlength=len(edges) + 1)
    pb, pc = bc / len(b), cc / len(c)
    psi = np.sum((np.where(cc == 0, 1e-4, pc) - np.where(bc == 0, 1e-4, pb)) * np.log(np.where(cc == 0, 1e-4, pc) / np.where(bc == 0, 1e-4, pb)))
    ks = stats.ks_2samp(b, c)
    js = jensenshannon(pb, pc)
    w = stats.wasserstein_distance(b, c)
    return psi, ks, js, w / sd
def timed(fn):
    fn(); xs = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); xs.append((time.perf_counter() - t) * 1000)
    return sorted(xs)[len(xs) // 2]
print(f"{timed(lambda: one(0)):.1f} {timed(lambda: [one(i) for i in range(k)]):.1f}")
`;

async function scipyTimes(features: Feature[], runs: number): Promise<[number, number] | undefined> {
  const python = join(ROOT, 'scripts', 'fixtures', '.venv', 'bin', 'python');
  if (!existsSync(python)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-bench-'));
  try {
    for (const [i, f] of features.entries()) {
      await writeFile(join(dir, `b${i}.f64`), f.raw);
      await writeFile(join(dir, `c${i}.f64`), f.window.values);
    }
    const out = execFileSync(python, ['-c', PY_BENCH, dir, String(features.length), String(Math.max(3, Math.floor(runs / 2)))], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 600_000,
    });
    const [one, all] = out.trim().split(/\s+/).map(Number);
    return [one!, all!];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runDriftBench(opts: { runs?: number } = {}): Promise<void> {
  const runs = opts.runs ?? 7;
  const t0 = performance.now();
  const features = makeFeatures();
  const f0 = features[0]!;
  const buildMs = time(3, () => numericBaselineFromValues('x', f0.raw));
  console.log(`drift bench: baseline ${BASE_N.toLocaleString()} values vs window ${CUR_N.toLocaleString()}, median of ${runs} runs`);
  console.log(`  data generation ${(performance.now() - t0).toFixed(0)} ms; baseline build (sort + edges) ${buildMs.toFixed(1)} ms/feature (once per profile)`);

  const one = time(runs, () => compareFeature(f0.baseline, f0.window));
  const r = compareFeature(f0.baseline, f0.window);
  console.log(`  1 feature, all metrics: ${one.toFixed(2)} ms  (psi ${r.metrics.psi?.toFixed(5)}, ks D ${r.metrics.ks?.statistic.toFixed(5)} p ${r.metrics.ks?.pvalue.toExponential(3)} [${r.metrics.ks?.method}], js ${r.metrics.jensen_shannon?.toFixed(5)}, w_normed ${r.metrics.wasserstein_normed?.toFixed(5)})`);

  // Breakdown on the same feature.
  const base = f0.baseline.sorted;
  let cur = new Float64Array(0);
  const sortMs = time(runs, () => {
    cur = Float64Array.from(f0.window.values).sort();
  });
  const ksMs = time(runs, () => ks2SampSorted(base, cur));
  const binMs = time(runs, () => {
    const bc = binCountsSorted(base, f0.baseline.psiEdges);
    const cc = binCountsSorted(cur, f0.baseline.psiEdges);
    psiFromCounts(bc, cc);
    jensenShannonFromCounts(bc, cc);
  });
  const wMs = time(runs, () => wassersteinSorted(base, cur));
  console.log(`    breakdown: sort window ${sortMs.toFixed(2)} ms, ks ${ksMs.toFixed(2)} ms, psi+js ${binMs.toFixed(3)} ms, wasserstein ${wMs.toFixed(2)} ms`);

  const ten = time(runs, () => {
    for (const f of features) compareFeature(f.baseline, f.window);
  });
  console.log(`  ${features.length} features, all metrics: ${ten.toFixed(1)} ms (${(ten / features.length).toFixed(2)} ms/feature)`);

  const py = await scipyTimes(features, runs);
  if (py === undefined) {
    console.log('  scipy comparison skipped (run scripts/fixtures/gen_drift_fixtures.sh to create the venv)');
  } else {
    console.log(`  numpy/scipy, same work (baseline pre-sorted, edges/std precomputed): 1 feature ${py[0].toFixed(1)} ms, ${features.length} features ${py[1].toFixed(1)} ms`);
    console.log(`  speed-up vs scipy: ${(py[0] / one).toFixed(1)}x (1 feature), ${(py[1] / ten).toFixed(1)}x (${features.length} features)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const i = process.argv.indexOf('--runs');
  await runDriftBench(i >= 0 ? { runs: Number(process.argv[i + 1]) } : {});
}
