/**
 * ReportHistograms from the shapes the rest of driftwatch holds: a baseline profile's feature,
 * a window's PSI-bin or category counts, or a batch sample. Pure.
 */
import type { FeatureBaseline, FeatureSample } from '../drift/types.js';
import type { ReportHistogram } from './types.js';
import { binIndex } from '../drift/bins.js';

/** Baseline side: numeric over its frozen PSI edges, categorical over its categories. */
export function baselineHistogram(b: FeatureBaseline): ReportHistogram {
  if (b.kind === 'numeric') {
    const counts = binCountsSorted(b.sorted, b.psiEdges);
    return { kind: 'numeric', edges: [...b.psiEdges], proportions: proportions(counts), count: b.finiteCount };
  }
  return categoricalHistogram(b.categories);
}

/** Current side of a batch comparison, binned with the baseline's edges. */
export function sampleHistogram(sample: FeatureSample, baseline: FeatureBaseline): ReportHistogram | undefined {
  if (sample.kind === 'categorical') return categoricalHistogram(sample.categories);
  if (baseline.kind !== 'numeric') return undefined;
  const counts = new Array<number>(baseline.psiEdges.length + 1).fill(0);
  for (const v of sample.values) counts[binIndex(baseline.psiEdges, v)]! += 1;
  return { kind: 'numeric', edges: [...baseline.psiEdges], proportions: proportions(counts), count: sample.values.length };
}

/** Both sides of a batch comparison, for renderCheckReport. */
export function checkHistograms(baseline: FeatureBaseline, current: FeatureSample): { baseline: ReportHistogram; current?: ReportHistogram } {
  const cur = sampleHistogram(current, baseline);
  return { baseline: baselineHistogram(baseline), ...(cur && { current: cur }) };
}

/** A window's stored PSI-bin counts over known edges; undefined when they do not match. */
export function binCountsHistogram(counts: readonly number[], edges: readonly number[]): ReportHistogram | undefined {
  if (counts.length !== edges.length + 1) return undefined;
  return { kind: 'numeric', edges: [...edges], proportions: proportions(counts), count: sum(counts) };
}

export function categoricalHistogram(counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>): ReportHistogram {
  const entries = counts instanceof Map ? [...counts] : Object.entries(counts as Record<string, number>);
  const total = entries.reduce((s, [, c]) => s + c, 0);
  return {
    kind: 'categorical',
    categories: entries.map(([name, c]) => ({ name, proportion: total > 0 ? c / total : 0 })),
    count: total,
  };
}

export { binIndex };

/** Counts of ascending values per bin in one merge walk. */
function binCountsSorted(sorted: Float64Array, edges: Float64Array): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (const v of sorted) {
    while (bin < edges.length && (edges[bin] as number) <= v) bin++;
    counts[bin]! += 1;
  }
  return counts;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

function proportions(counts: readonly number[]): number[] {
  const total = sum(counts);
  return counts.map((c) => (total > 0 ? c / total : 0));
}
