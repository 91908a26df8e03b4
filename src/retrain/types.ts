/**
 * The retrain event: what driftwatch publishes when a model's features drifted enough to
 * retrain it. Wire format (snake_case JSON) checked by schemas/retrain-event.schema.json.
 */

export const RetrainReasons = { criticalDrift: 'critical_drift', driftedShare: 'drifted_share' } as const;
export type RetrainReason = (typeof RetrainReasons)[keyof typeof RetrainReasons];

export interface RetrainBreach {
  readonly test: string;
  readonly value: number;
  readonly threshold: number;
  readonly level: 'warn' | 'critical';
}

export interface RetrainFeature {
  readonly feature: string;
  readonly severity: 'warn' | 'critical';
  readonly breaches: readonly RetrainBreach[];
  /** Flat metric values of the window (psi, ks_statistic, ks_pvalue, …). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly n_current: number;
}

export interface RetrainEvent {
  readonly schema_version: 1;
  readonly model: string;
  readonly reason: RetrainReason;
  /** One human sentence. */
  readonly summary: string;
  readonly stream: string;
  readonly window: { readonly start: string; readonly end: string; readonly start_ms: number; readonly end_ms: number };
  readonly drifted_features: readonly RetrainFeature[];
  /** Firing features / monitored features of the model in this window. */
  readonly drifted_share: number;
  readonly baseline_id: string | null;
  readonly parquet_paths: readonly string[];
  /** Same for the same model and triggering window: receivers dedupe on it. */
  readonly idempotency_key: string;
  readonly created_at: string;
}

/** Per-model incident state (one retrain event per incident, plus a cooldown). */
export interface RetrainIncident {
  readonly model: string;
  readonly open: boolean;
  readonly openedAt: number | null;
  readonly lastEventAt: number | null;
  readonly lastEventKey: string | null;
}
