/**
 * Decides, per model, whether a window opens a retrain incident (pure). A model's features
 * are those whose rule names it (`retrain.model`, else `labels.model`) with `retrain.on:
 * critical`. Trigger: a firing critical alert on one of them, or a share of them firing ≥
 * the rule's `drifted_share`. One event per incident: none while the incident stays open,
 * none within `cooldown` of the last event; the incident closes when a window of the
 * stream shows no trigger.
 */
import type { AlertRecord } from '../alerts/types.js';
import type { FeatureDrift } from '../drift/types.js';
import type { Rule } from '../rules/types.js';
import { buildRetrainEvent } from './event.js';
import type { RetrainEvent, RetrainIncident } from './types.js';

export interface RetrainFeatureView {
  readonly feature: string;
  readonly rule: Rule;
  /** Alert state after this window. */
  readonly record: AlertRecord;
  readonly drift: FeatureDrift;
}

export interface RetrainDecisionInput {
  readonly stream: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly features: readonly RetrainFeatureView[];
  readonly incidents: ReadonlyMap<string, RetrainIncident>;
  readonly baselineId?: string;
  readonly parquetPaths?: readonly string[];
  readonly now: number;
}

export interface RetrainDecision {
  readonly events: RetrainEvent[];
  /** Incidents whose state changed. */
  readonly incidents: RetrainIncident[];
}

export function decideRetrain(input: RetrainDecisionInput): RetrainDecision {
  const byModel = new Map<string, RetrainFeatureView[]>();
  for (const f of input.features) {
    const model = f.rule.retrain.model;
    if (f.rule.retrain.on !== 'critical' || model === undefined) continue;
    let list = byModel.get(model);
    if (!list) byModel.set(model, (list = []));
    list.push(f);
  }
  const events: RetrainEvent[] = [];
  const incidents: RetrainIncident[] = [];
  for (const [model, features] of byModel) {
    const firing = features.filter((f) => f.record.state === 'firing' && f.record.severity !== null);
    const critical = firing.some((f) => f.record.severity === 'critical');
    const share = firing.length / features.length;
    const shares = features.map((f) => f.rule.retrain.driftedShare).filter((s): s is number => s !== undefined);
    const shareTrigger = shares.length > 0 && firing.length > 0 && share >= Math.min(...shares);
    const triggered = critical || shareTrigger;
    const prev = input.incidents.get(model) ?? { model, open: false, openedAt: null, lastEventAt: null, lastEventKey: null };
    if (!triggered) {
      if (prev.open) incidents.push({ ...prev, open: false });
      continue;
    }
    if (prev.open) continue;
    const cooldown = Math.max(...features.map((f) => f.rule.retrain.cooldownMs));
    const cooling = prev.lastEventAt !== null && input.windowEnd - prev.lastEventAt < cooldown;
    if (cooling) {
      // Same incident as far as retraining goes: remember it is open, send nothing.
      incidents.push({ ...prev, open: true, openedAt: input.windowEnd });
      continue;
    }
    const event = buildRetrainEvent({
      model,
      reason: critical ? 'critical_drift' : 'drifted_share',
      stream: input.stream,
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
      features: firing.map((f) => ({
        feature: f.feature,
        severity: f.record.severity as 'warn' | 'critical',
        breaches: f.record.breaches,
        drift: f.drift,
      })),
      driftedShare: share,
      ...(input.baselineId !== undefined ? { baselineId: input.baselineId } : {}),
      ...(input.parquetPaths !== undefined ? { parquetPaths: input.parquetPaths } : {}),
      createdAt: input.now,
    });
    events.push(event);
    incidents.push({ model, open: true, openedAt: input.windowEnd, lastEventAt: input.windowEnd, lastEventKey: event.idempotency_key });
  }
  return { events, incidents };
}
