/**
 * Alerts timeline: one row per feature that alerted, a bar per firing → resolved interval
 * coloured by the highest severity reached, ▲ where it fired and ● where it resolved.
 */
import { fmtTime } from './format.js';
import { tickStep, timeScale, timeTickLabel } from './scale.js';
import { COLORS, el, round, svg, text, title, xAxisLine } from './svg.js';
import { alertIntervals } from './summary.js';
import type { ReportAlert } from './types.js';

export interface TimelineSpec {
  readonly alerts: readonly ReportAlert[];
  readonly xDomain: readonly [number, number];
  readonly width?: number;
}

const ROW = 26;

export function alertTimeline(spec: TimelineSpec): string {
  const width = spec.width ?? 1080;
  const features = [...new Set(spec.alerts.filter((a) => a.state === 'firing' || a.state === 'resolved').map((a) => a.feature))].sort();
  const left = Math.min(200, 24 + Math.max(60, ...features.map((f) => f.length * 6.6)));
  const top = 10;
  const height = top + Math.max(1, features.length) * ROW + 30;
  const x0 = left;
  const x1 = width - 16;
  const y0 = height - 26;
  const x = timeScale(spec.xDomain, [x0 + 4, x1 - 4], 8);
  let body = '';
  if (features.length === 0) {
    body += text('No alerts fired in this range', { x: width / 2, y: top + ROW / 2 + 4, 'text-anchor': 'middle', class: 'empty' });
  }
  features.forEach((f, i) => {
    const cy = top + i * ROW + ROW / 2;
    if (i % 2 === 0) body += el('rect', { x: 0, y: cy - ROW / 2, width, height: ROW, fill: '#f8fafc' });
    body += text(f.length > 28 ? `${f.slice(0, 27)}…` : f, { x: x0 - 10, y: cy + 4, 'text-anchor': 'end', class: 'row-label' });
  });
  const step = tickStep(x.ticks);
  for (const t of x.ticks) {
    body += el('line', { x1: x(t), x2: x(t), y1: top, y2: y0, stroke: COLORS.grid });
    body += text(timeTickLabel(t, step), { x: x(t), y: y0 + 16, 'text-anchor': 'middle', class: 'tick' });
  }
  body += xAxisLine(x0, x1, y0);
  const rowOf = (f: string): number => top + features.indexOf(f) * ROW + ROW / 2;
  for (const iv of alertIntervals(spec.alerts, spec.xDomain[1])) {
    const cy = rowOf(iv.feature);
    const color = iv.severity === 'critical' ? COLORS.critical : COLORS.warn;
    const xa = x(iv.start);
    const xb = Math.max(x(iv.end), xa + 3);
    body += el(
      'rect',
      { x: xa, y: cy - 6, width: xb - xa, height: 12, rx: 3, fill: color, 'fill-opacity': 0.28, stroke: color, 'stroke-width': 1, class: `alert-bar alert-${iv.severity}` },
      title(`${iv.feature}: ${iv.severity} from ${fmtTime(iv.start)} UTC${iv.open ? ', still firing' : ` to ${fmtTime(iv.end)} UTC`}`),
    );
  }
  for (const a of spec.alerts) {
    if (a.state !== 'firing' && a.state !== 'resolved') continue;
    const cx = round(x(a.time));
    const cy = rowOf(a.feature);
    const tip = title(`${fmtTime(a.time)} UTC · ${a.feature} ${a.state}${a.severity ? ` (${a.severity})` : ''}`);
    if (a.state === 'firing') {
      const color = a.severity === 'critical' ? COLORS.critical : COLORS.warn;
      body += el('path', { d: `M${cx},${cy - 7}L${cx + 6},${cy + 5}L${cx - 6},${cy + 5}Z`, fill: color, stroke: '#fff', 'stroke-width': 1, class: 'alert-fired' }, tip);
    } else {
      body += el('circle', { cx, cy, r: 5, fill: COLORS.ok, stroke: '#fff', 'stroke-width': 1, class: 'alert-resolved' }, tip);
    }
  }
  return svg(width, height, 'Alerts timeline', body, 'chart timeline');
}
