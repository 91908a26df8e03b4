/**
 * Wording shared by every channel, so Slack, email, file and console state the same facts:
 * per feature the metric, its value, the threshold, the window and the verdict.
 */
import { ruleTests } from '../rules/tests.js';
import type { Breach } from '../rules/types.js';
import type { AlertItem, AlertNotification } from './types.js';

export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z').replace('T', ' ');
}

export function windowText(n: Pick<AlertNotification, 'windowStart' | 'windowEnd'>): string {
  const start = new Date(n.windowStart).toISOString();
  const end = new Date(n.windowEnd).toISOString();
  // Same day: show the date once.
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  const hm = (iso: string): string => iso.slice(11, 19).replace(/:00$/, '');
  return sameDay ? `${start.slice(0, 10)} ${hm(start)}–${hm(end)} UTC` : `${isoMinute(n.windowStart)} – ${isoMinute(n.windowEnd)} UTC`;
}

/** Compact number for humans: 4 significant digits, scientific for tiny p-values. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e6) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

export function breachText(b: Breach): string {
  const test = ruleTests[b.test];
  const op = test.direction === 'higher-means-drift' ? '≥' : '<';
  const raw = b.raw !== undefined ? ` (raw ${formatValue(b.raw)}, adjusted)` : '';
  return `${test.label} ${formatValue(b.value)}${raw} ${op} ${b.level} threshold ${formatValue(b.threshold)}`;
}

const VERDICT = {
  firing: 'drift detected',
  escalated: 'drift got worse',
  repeat: 'still drifting',
  resolved: 'back to normal',
} as const;

export function verdict(item: AlertItem): string {
  return item.kind === 'resolved' ? `resolved: ${VERDICT.resolved}` : `${item.severity.toUpperCase()}: ${VERDICT[item.kind]}`;
}

export interface Counts {
  readonly firing: number;
  readonly critical: number;
  readonly resolved: number;
}

export function counts(n: AlertNotification): Counts {
  const active = n.items.filter((i) => i.kind !== 'resolved');
  return {
    firing: active.length,
    critical: active.filter((i) => i.severity === 'critical').length,
    resolved: n.items.length - active.length,
  };
}

const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;

/** One-line summary: the Slack fallback text, the email subject, the console headline. */
export function summaryLine(n: AlertNotification): string {
  const c = counts(n);
  const parts: string[] = [];
  if (c.firing > 0) {
    const crit = c.critical > 0 ? ` (${c.critical} critical)` : '';
    parts.push(`${plural(c.firing, 'feature')} drifting${crit}`);
  }
  if (c.resolved > 0) parts.push(`${plural(c.resolved, 'feature')} resolved`);
  const state = c.critical > 0 ? 'CRITICAL' : c.firing > 0 ? 'WARN' : 'RESOLVED';
  return `[${state}] ${n.stream}: ${parts.join(', ')} — window ${windowText(n)}`;
}

/** Facts of one item as plain-text lines. */
export function itemLines(item: AlertItem): string[] {
  const lines = [`${item.feature} — ${verdict(item)}`];
  for (const b of item.breaches) lines.push(`  ${item.kind === 'resolved' ? 'was ' : ''}${breachText(b)}`);
  const labels = Object.entries(item.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  lines.push(`  n=${item.nCurrent}, null rate ${formatValue(item.nullRateCurrent)}${labels ? `, ${labels}` : ''}`);
  return lines;
}

/** The whole notification as plain text (email text part, console, logs). */
export function notificationText(n: AlertNotification): string {
  const lines = [summaryLine(n), `stream: ${n.stream}`, `window: ${windowText(n)}`, ''];
  for (const item of n.items) lines.push(...itemLines(item), '');
  lines.push(`id: ${n.id}`);
  return lines.join('\n');
}
