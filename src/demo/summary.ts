/** What a demo run did, and its console rendering (pure). */
import type { PipelineStats } from '../pipeline/stats.js';
import type { RetrainEvent } from '../retrain/types.js';
import type { SentCounts } from './kafka-io.js';

export interface AlertLine {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly channel: string;
  readonly items: ReadonlyArray<{ readonly feature: string; readonly kind: string; readonly severity: string }>;
}

export interface DemoSummary {
  readonly elapsedMs: number;
  readonly brokers: readonly string[];
  readonly brokerStarted: boolean;
  readonly topic: string;
  readonly dlqTopic: string;
  readonly retrainTopic: string;
  readonly streamStart: number;
  readonly streamEnd: number;
  readonly driftFrom: number;
  readonly windowMs: number;
  readonly trainingRows: number;
  readonly baselineId: string;
  readonly produced: Partial<SentCounts>;
  readonly pipeline: PipelineStats;
  /** Messages on the DLQ topic when the demo finished. */
  readonly dlqMessages: number;
  readonly monitored: readonly string[];
  readonly alertsFile: string;
  readonly alerts: readonly AlertLine[];
  readonly retrainEvents: readonly RetrainEvent[];
  readonly reportPath: string;
  readonly opsUrl?: string;
}

const n = (x: number): string => x.toLocaleString('en-US');
const hm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function producedTotals(p: Partial<SentCounts>): { total: number; valid: number; late: number; invalid: number; invalidKinds: number } {
  let total = 0;
  let invalid = 0;
  let invalidKinds = 0;
  for (const [kind, count] of Object.entries(p)) {
    total += count ?? 0;
    if (kind !== 'valid' && kind !== 'late') {
      invalid += count ?? 0;
      if ((count ?? 0) > 0) invalidKinds += 1;
    }
  }
  return { total, valid: p.valid ?? 0, late: p.late ?? 0, invalid, invalidKinds };
}

export function formatSummary(s: DemoSummary): string {
  const p = producedTotals(s.produced);
  const st = s.pipeline;
  const drifted = new Set(st.drifted.map((d) => d.feature));
  const lines: string[] = [];
  const row = (label: string, text: string): void => {
    lines.push(`  ${label.padEnd(12)}${text}`);
  };
  lines.push(`driftwatch demo finished in ${(s.elapsedMs / 1000).toFixed(1)} s (broker ${s.brokers.join(',')}${s.brokerStarted ? ', started by the demo and stopped again' : ''})`);
  row(
    'stream',
    `${n(p.valid)} card transactions, ${day(s.streamStart)} ${hm(s.streamStart)}–${hm(s.streamEnd)} UTC event time, ${s.windowMs / 60_000} min windows; amount and channel mix drift from ${hm(s.driftFrom)} (card_present follows channel)`,
  );
  row('baseline', `${n(s.trainingRows)} training rows → profile ${s.baselineId.slice(0, 12)}`);
  row('produced', `${n(p.total)} messages to ${s.topic}: ${n(p.valid)} on time, ${n(p.late)} delayed 35–120 min, ${n(p.invalid)} invalid (${p.invalidKinds} kinds)`);
  row('ingested', `${n(st.consumed)} consumed, ${n(st.valid)} valid, ${n(st.invalid)} invalid → DLQ ${s.dlqTopic} (${n(s.dlqMessages)} messages)`);
  row('late', `${n(st.lateEvents)} events arrived after their window closed (kept in late_events, not in the closed window)`);
  row('windows', `${st.windowsClosed} closed, ${st.windowsEvaluated} evaluated (a window closes once the watermark passes its end + lateness)`);
  row(
    'drifted',
    st.drifted.length === 0
      ? 'none'
      : st.drifted.map((d) => `${d.feature} (${d.worst}, ${d.windows} window${d.windows === 1 ? '' : 's'} from ${hm(d.firstWindowStart)})`).join(', '),
  );
  row('stable', s.monitored.filter((f) => !drifted.has(f)).join(', ') || 'none');
  row('alerts', `${s.alerts.length} notification${s.alerts.length === 1 ? '' : 's'} → ${s.alertsFile}`);
  for (const a of s.alerts) {
    const byKind = new Map<string, string[]>();
    for (const i of a.items) byKind.set(`${i.kind} ${i.severity}`, [...(byKind.get(`${i.kind} ${i.severity}`) ?? []), i.feature]);
    const what = [...byKind].map(([k, fs]) => `${k}: ${fs.join(', ')}`).join('; ');
    lines.push(`  ${''.padEnd(12)}  window ${hm(a.windowStart)}–${hm(a.windowEnd)} [${a.channel}] ${what}`);
  }
  row('retrain', `${s.retrainEvents.length} event${s.retrainEvents.length === 1 ? '' : 's'} consumed from ${s.retrainTopic}`);
  for (const e of s.retrainEvents) {
    lines.push(
      `  ${''.padEnd(12)}  model ${e.model}: ${e.reason}, window ${hm(e.window.start_ms)}–${hm(e.window.end_ms)}, features ${e.drifted_features.map((f) => f.feature).join(', ')}`,
    );
  }
  row('report', s.reportPath);
  return `${lines.join('\n')}\n`;
}
