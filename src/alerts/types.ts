/**
 * Alert state, notifications and the channel interface. Alert identity is
 * (stream, feature, rule id); notifications group every alert of one stream that fired,
 * repeated, escalated or resolved in one window (Alertmanager's group_by stream + window).
 */
import type { FeatureDrift } from '../drift/types.js';
import type { AlertLevel, Breach, RuleEvaluation } from '../rules/types.js';

export const AlertStates = { ok: 'ok', pending: 'pending', firing: 'firing', resolved: 'resolved' } as const;
export type AlertState = (typeof AlertStates)[keyof typeof AlertStates];

/** Why a feature is in a notification. */
export const NotificationKinds = {
  firing: 'firing',
  escalated: 'escalated',
  repeat: 'repeat',
  resolved: 'resolved',
} as const;
export type NotificationKind = (typeof NotificationKinds)[keyof typeof NotificationKinds];

export interface AlertKey {
  readonly stream: string;
  readonly feature: string;
  readonly ruleId: string;
}

/** Persisted state of one alert. Times are window ends (event time, epoch ms). */
export interface AlertRecord extends AlertKey {
  readonly state: AlertState;
  /** Severity while pending/firing; the last one once resolved; null when ok. */
  readonly severity: AlertLevel | null;
  /** Consecutive windows over threshold (pending → firing after fire_after). */
  readonly overCount: number;
  /** Consecutive windows under threshold while firing (→ resolved after resolve_after). */
  readonly underCount: number;
  readonly firedAt: number | null;
  readonly lastNotifiedAt: number | null;
  /** Last window applied; a replayed older window is ignored. */
  readonly lastWindowEnd: number | null;
  /** Breaches of the last window that was over threshold. */
  readonly breaches: readonly Breach[];
}

/** One feature's result in a window, as the pipeline hands it over. */
export interface FeatureWindowResult {
  readonly feature: string;
  readonly drift: FeatureDrift;
  readonly evaluation: RuleEvaluation;
}

export interface WindowResults {
  readonly stream: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly results: readonly FeatureWindowResult[];
  /** Baseline profile id, for retrain events. */
  readonly baselineId?: string;
  /** Parquet files holding the window's data, for retrain events. */
  readonly parquetPaths?: readonly string[];
}

/** One feature inside a notification. */
export interface AlertItem {
  readonly feature: string;
  readonly ruleId: string;
  readonly kind: NotificationKind;
  readonly severity: AlertLevel;
  readonly breaches: readonly Breach[];
  readonly labels: Readonly<Record<string, string>>;
  /** Window end at which the alert fired. */
  readonly firedAt: number | null;
  readonly nCurrent: number;
  readonly nullRateCurrent: number;
}

/** What a channel delivers: every alert of one stream that changed in one window. */
export interface AlertNotification {
  /** Stable id (stream, window, channel): the outbox key, also an idempotency key for receivers. */
  readonly id: string;
  readonly stream: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly items: readonly AlertItem[];
}

/** A notification channel (Slack, email, file, console…). */
export interface AlertSink {
  readonly name: string;
  readonly type: string;
  /**
   * Delivers or throws a NotifyError: `retryable` when trying again may help, and
   * `details.retryAfterMs` when the receiver said how long to wait. Never puts secrets in
   * the error.
   */
  send(notification: AlertNotification): Promise<void>;
  close?(): Promise<void>;
}

/** Minimal logger (pino-compatible); messages passed here are already redacted. */
export interface AlertLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export const silentLogger: AlertLogger = { info: () => {}, warn: () => {}, error: () => {} };
