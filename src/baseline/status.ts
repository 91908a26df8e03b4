/**
 * The one place that turns a feature's metrics into a status. The rules engine
 * (src/rules) will replace it by passing its own StatusDecider to runCheck/checkTable.
 */
import type { DriftStatus, FeatureDrift } from '../drift/types.js';
import { DriftStatuses } from '../drift/types.js';

export type StatusDecider = (drift: FeatureDrift) => DriftStatus;

/** Industry-usual PSI cut-offs: < 0.1 stable, 0.1–0.25 moderate shift, ≥ 0.25 major shift. */
export const defaultPsiThresholds = Object.freeze({ warn: 0.1, critical: 0.25 });

export const statusFromMetrics: StatusDecider = (drift) => {
  const psi = drift.metrics.psi;
  if (drift.n_current === 0 || drift.n_baseline === 0 || psi === undefined || Number.isNaN(psi)) return DriftStatuses.insufficientData;
  if (psi >= defaultPsiThresholds.critical) return DriftStatuses.critical;
  if (psi >= defaultPsiThresholds.warn) return DriftStatuses.warn;
  return DriftStatuses.ok;
};
