/** Loads the scipy/numpy golden values written by scripts/fixtures/gen_drift_fixtures.py. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

const dir = new URL('../../fixtures/drift/', import.meta.url);

interface EncodedColumn {
  /** Little-endian float64 values, base64; null positions hold NaN. */
  readonly f64: string;
  readonly nullIdx: readonly number[];
}

export interface KsExpected {
  readonly statistic: number;
  readonly pvalue: number;
  readonly statistic_location: number;
  readonly statistic_sign: 1 | -1;
  readonly method: 'exact' | 'asymp';
}

export interface NumericCase {
  readonly name: string;
  readonly note: string;
  readonly bins: number;
  readonly epsilon: number;
  readonly baseline: EncodedColumn;
  readonly current: EncodedColumn;
  readonly expected: {
    readonly n_baseline: number;
    readonly n_current: number;
    readonly null_rate_baseline: number;
    readonly null_rate_current: number;
    readonly missing_baseline: readonly [number, number, number];
    readonly missing_current: readonly [number, number, number];
    readonly edges: readonly number[];
    readonly base_counts: readonly number[];
    readonly cur_counts: readonly number[];
    readonly psi: number;
    readonly ks: KsExpected;
    readonly jensen_shannon: number;
    readonly wasserstein: number;
    readonly wasserstein_normed: number;
  };
}

export interface CategoricalCase {
  readonly name: string;
  readonly note: string;
  readonly epsilon: number;
  readonly baseline: { readonly counts: Record<string, number>; readonly nulls: number };
  readonly current: { readonly counts: Record<string, number>; readonly nulls: number };
  readonly expected: {
    readonly n_baseline: number;
    readonly n_current: number;
    readonly null_rate_baseline: number;
    readonly null_rate_current: number;
    readonly psi: number;
    readonly chi2: { readonly statistic: number; readonly pvalue: number; readonly dof: number };
    readonly jensen_shannon: number;
  };
}

export interface SpecialFixtures {
  readonly scipy: string;
  readonly chi2_sf: ReadonlyArray<{ x: number; df: number; sf: number }>;
  readonly kstwo: ReadonlyArray<{ n: number; x: number; sf: number; cdf: number }>;
  readonly smirnov: ReadonlyArray<{ n: number; x: number; sf: number }>;
}

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T;
}

let numeric: readonly NumericCase[] | undefined;
export function numericCases(): readonly NumericCase[] {
  numeric ??= load<{ cases: NumericCase[] }>('numeric.json').cases;
  return numeric;
}

export function categoricalCases(): readonly CategoricalCase[] {
  return load<{ cases: CategoricalCase[] }>('categorical.json').cases;
}

export function specialFixtures(): SpecialFixtures {
  return load<SpecialFixtures>('special.json');
}

/** Column as the builders take it: numbers with NaN/±Inf, and null where Python had None. */
export function decodeColumn(col: EncodedColumn): Array<number | null> {
  const buf = Buffer.from(col.f64, 'base64');
  const f64 = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const out: Array<number | null> = Array.from(f64);
  for (const i of col.nullIdx) out[i] = null;
  return out;
}

/** Finite values only, ascending (what scipy was given). */
export function finiteSorted(col: EncodedColumn): Float64Array {
  return Float64Array.from(decodeColumn(col).filter((v): v is number => v !== null && Number.isFinite(v))).sort();
}

/** The agreement the drift engine promises with scipy/numpy: |ours − ref| ≤ 1e-9 + 1e-6·|ref|. */
export function expectClose(actual: number | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf('number');
  const tol = 1e-9 + 1e-6 * Math.abs(expected);
  const diff = Math.abs((actual as number) - expected);
  expect(diff <= tol, `${what}: got ${actual}, scipy ${expected} (|diff| ${diff} > ${tol})`).toBe(true);
}
