/**
 * The alert life cycle as one pure function, so every edge can be tested without I/O:
 *
 *   ok/resolved --over--> pending --over × fire_after--> firing (notify "firing")
 *   pending --under--> ok                     firing --under × resolve_after--> resolved (notify)
 *   firing --over, warn→critical--> firing (notify "escalated")
 *   firing --over, repeat_interval elapsed since last notice--> firing (notify "repeat")
 *
 * "insufficient data" windows change nothing. Time is window time (event time), so a
 * replay of old data behaves as it did live; a window not newer than the last applied one
 * is ignored (replay after a crash).
 */
import type { AlertLevel, Rule, RuleEvaluation } from '../rules/types.js';
import type { AlertKey, AlertRecord, NotificationKind } from './types.js';

export type TransitionRule = Pick<Rule, 'fireAfter' | 'resolveAfter' | 'repeatIntervalMs'>;

export interface Transition {
  readonly next: AlertRecord;
  readonly notify?: NotificationKind;
  /** True when the window was already applied (nothing changed). */
  readonly replayed: boolean;
}

export function initialRecord(key: AlertKey): AlertRecord {
  return {
    stream: key.stream,
    feature: key.feature,
    ruleId: key.ruleId,
    state: 'ok',
    severity: null,
    overCount: 0,
    underCount: 0,
    firedAt: null,
    lastNotifiedAt: null,
    lastWindowEnd: null,
    breaches: [],
  };
}

export function transition(
  prev: AlertRecord,
  evaluation: RuleEvaluation,
  rule: TransitionRule,
  windowEnd: number,
): Transition {
  if (prev.lastWindowEnd !== null && windowEnd <= prev.lastWindowEnd) return { next: prev, replayed: true };
  const base: AlertRecord = { ...prev, lastWindowEnd: windowEnd };
  const status = evaluation.status;
  if (status === 'insufficient_data') return { next: base, replayed: false };

  if (status === 'warn' || status === 'critical') {
    const level: AlertLevel = status;
    const overCount = prev.overCount + 1;
    const over = { ...base, overCount, underCount: 0, severity: level, breaches: evaluation.breaches };
    if (prev.state === 'firing') {
      if (level === 'critical' && prev.severity === 'warn') {
        return { next: { ...over, lastNotifiedAt: windowEnd }, notify: 'escalated', replayed: false };
      }
      const since = windowEnd - (prev.lastNotifiedAt ?? prev.firedAt ?? windowEnd);
      if (since >= rule.repeatIntervalMs) {
        return { next: { ...over, lastNotifiedAt: windowEnd }, notify: 'repeat', replayed: false };
      }
      return { next: { ...over, state: 'firing' }, replayed: false };
    }
    // ok, resolved or pending: count towards fire_after (a fresh incident starts at 1).
    const count = prev.state === 'pending' ? overCount : 1;
    if (count >= rule.fireAfter) {
      return {
        next: { ...over, overCount: count, state: 'firing', firedAt: windowEnd, lastNotifiedAt: windowEnd },
        notify: 'firing',
        replayed: false,
      };
    }
    return { next: { ...over, overCount: count, state: 'pending', firedAt: null }, replayed: false };
  }

  // Under threshold.
  if (prev.state === 'firing') {
    const underCount = prev.underCount + 1;
    if (underCount >= rule.resolveAfter) {
      return { next: { ...base, state: 'resolved', overCount: 0, underCount }, notify: 'resolved', replayed: false };
    }
    return { next: { ...base, overCount: 0, underCount }, replayed: false };
  }
  if (prev.state === 'pending') {
    return { next: { ...base, state: 'ok', severity: null, overCount: 0, underCount: 0, breaches: [] }, replayed: false };
  }
  // ok stays ok; resolved stays resolved (keeps the last incident's facts) until the next one.
  return { next: { ...base, overCount: 0 }, replayed: false };
}
