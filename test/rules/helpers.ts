import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FeatureDrift, FeatureKind } from '../../src/drift/types.js';

/** Writes `files` (relative path → YAML text) under a fresh temp dir; returns the dir. */
export function rulesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dw-rules-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

export interface DriftValues {
  type?: FeatureKind;
  n?: number;
  psi?: number;
  ksStatistic?: number;
  ksPvalue?: number;
  chi2Pvalue?: number;
  js?: number;
  wassersteinNormed?: number;
  nullBase?: number;
  nullCur?: number;
}

/** A FeatureDrift with the given metric values (others absent). */
export function drift(feature: string, v: DriftValues = {}): FeatureDrift {
  const type = v.type ?? 'numeric';
  const metrics: FeatureDrift['metrics'] = {};
  if (v.psi !== undefined) metrics.psi = v.psi;
  if (v.js !== undefined) metrics.jensen_shannon = v.js;
  if (type === 'numeric') {
    if (v.ksStatistic !== undefined || v.ksPvalue !== undefined) {
      metrics.ks = { statistic: v.ksStatistic ?? 0, pvalue: v.ksPvalue ?? 1, statisticLocation: 0, statisticSign: 1, method: 'asymp' };
    }
    if (v.wassersteinNormed !== undefined) {
      metrics.wasserstein = v.wassersteinNormed * 2;
      metrics.wasserstein_normed = v.wassersteinNormed;
    }
  } else if (v.chi2Pvalue !== undefined) {
    metrics.chi2 = { statistic: 10, pvalue: v.chi2Pvalue, dof: 3 };
  }
  return {
    feature,
    type,
    n_baseline: 10_000,
    n_current: v.n ?? 5_000,
    null_rate_baseline: v.nullBase ?? 0,
    null_rate_current: v.nullCur ?? 0,
    metrics,
  };
}
