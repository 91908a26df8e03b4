/** Public surface of the drift engine: pure maths over typed arrays and plain data. */
export type * from './types.js';
export { FeatureKinds, DriftStatuses } from './types.js';
export {
  compareFeature,
  numericBaselineFromValues,
  categoricalBaselineFromValues,
  numericSampleFromValues,
  categoricalSampleFromValues,
  type CompareOptions,
} from './compare.js';
export { DEFAULT_BASELINE_CAP, DEFAULT_SAMPLE_SEED, type NumericBaselineOptions } from './build.js';
export { DEFAULT_PSI_BINS, psiEdges, binCounts, binCountsSorted, binIndex } from './bins.js';
export { DEFAULT_PSI_EPSILON, psiFromCounts, alignCategoryCounts, type AlignedCounts } from './psi.js';
export { quantileSorted } from './quantile.js';
export { ks2Samp, ks2SampSorted, ksStatisticSorted, ks2SampPValue, finiteSortedCopy, KS_MAX_EXACT_N } from './ks.js';
export { kstwoSf, kolmogn } from './kolmogorov.js';
export { smirnovSf } from './smirnov.js';
export { chi2Contingency2xK } from './chi2.js';
export { chi2Sf, gammainc, gammaincc, lgamma } from './special.js';
export { jensenShannonDistance, jensenShannonFromCounts } from './jensen-shannon.js';
export { wassersteinSorted, wassersteinNormed, stdPopulation, WASSERSTEIN_MIN_SCALE } from './wasserstein.js';
export {
  driftTests,
  driftTestNames,
  isDriftTestName,
  levelFor,
  thresholdsOrdered,
  Directions,
  Levels,
  type DriftTest,
  type DriftTestName,
  type Direction,
  type Level,
  type Thresholds,
} from './registry.js';
