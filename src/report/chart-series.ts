/**
 * A value over windows: metric series with warn/critical threshold lines and shaded zones,
 * and the null-rate series with the baseline's rate as reference. p-values are drawn on a
 * log axis (they range from 1 down to 1e-300 on big windows).
 */
import type { DriftStatus } from '../drift/types.js';
import { fmtNumber, fmtTime } from './format.js';
import { linearScale, logScale, tickStep, timeScale, timeTickLabel } from './scale.js';
import type { Scale } from './scale.js';
import { COLORS, el, plotArea, round, svg, text, title, xAxisLine, yGrid } from './svg.js';
import type { MetricThresholds } from './types.js';

export interface LinePoint {
  readonly t: number;
  readonly v: number;
  readonly status?: DriftStatus;
}

export interface LineChartSpec {
  readonly title: string;
  readonly points: readonly LinePoint[];
  /** Shared time range, so every chart of a report lines up. */
  readonly xDomain: readonly [number, number];
  readonly yFormat?: (v: number) => string;
  readonly thresholds?: MetricThresholds;
  readonly reference?: { readonly value: number; readonly label: string };
  readonly log?: boolean;
  readonly width?: number;
  readonly height?: number;
  readonly cls?: string;
}

const STATUS_COLOR: Readonly<Record<DriftStatus, string>> = {
  ok: COLORS.line,
  warn: COLORS.warn,
  critical: COLORS.critical,
  insufficient_data: COLORS.insufficient,
};

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 520;
  const height = spec.height ?? 200;
  const fmt = spec.yFormat ?? fmtNumber;
  const box = { width, height, left: 48, right: 14, top: 30, bottom: 30 };
  const { x0, x1, y0, y1 } = plotArea(box);
  const pts = spec.points.filter((p) => Number.isFinite(p.v)).sort((a, b) => a.t - b.t);
  let body = text(spec.title, { x: 0, y: 14, class: 'chart-title' });
  if (pts.length === 0) {
    body += text('No values in this range', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' });
    return svg(width, height, spec.title, body, `chart ${spec.cls ?? 'series'}`);
  }
  const th = spec.thresholds;
  let vmin = Infinity;
  let vmax = -Infinity;
  for (const p of pts) {
    vmin = Math.min(vmin, p.v);
    vmax = Math.max(vmax, p.v);
  }
  // The axis always reaches the first threshold (how far from trouble are we?), the critical
  // one only once values get near it: a 20% line must not squash a 0.1% series flat.
  const firstLine = th?.direction === 'lower-means-drift' ? th?.warn ?? th?.critical : th?.warn ?? th?.critical;
  const reachesWarn = th?.warn === undefined || (th.direction === 'lower-means-drift' ? vmin < th.warn : vmax >= th.warn);
  const refs = [firstLine, reachesWarn ? th?.critical : undefined, spec.reference?.value].filter(
    (v): v is number => v !== undefined && Number.isFinite(v),
  );
  let y: Scale;
  if (spec.log) {
    y = logScale([Math.min(vmin, ...refs, 0.01), 1], [y0, y1]);
  } else {
    const hi = Math.max(vmax, ...refs.map((r) => r * 1.2));
    const lo = Math.min(0, vmin);
    y = linearScale([lo, hi > lo ? hi : lo + 1], [y0, y1], 4);
  }
  const x = timeScale(spec.xDomain, [x0 + 6, x1 - 6]);
  const clampY = (v: number): number => Math.min(y0, Math.max(y1, y(v)));

  body += zones(th, clampY, x0, x1, y0, y1);
  body += yGrid(y.ticks, y, x0, x1, spec.log ? fmtPow10 : fmt);
  body += xAxisLine(x0, x1, y0);
  const step = tickStep(x.ticks);
  for (const t of x.ticks) {
    body += el('line', { x1: x(t), x2: x(t), y1: y0, y2: y0 + 4, stroke: COLORS.axis });
    body += text(timeTickLabel(t, step), { x: x(t), y: y0 + 16, 'text-anchor': 'middle', class: 'tick' });
  }
  // Lines under the data, their labels over it (with a white halo, see .th-label).
  const warnLine = thresholdLine('warn', th?.warn, COLORS.warn, y, x0, x1, y0, y1, fmt);
  const critLine = thresholdLine('critical', th?.critical, COLORS.critical, y, x0, x1, y0, y1, fmt);
  body += warnLine.line + critLine.line;
  let labels = warnLine.label + critLine.label;
  if (spec.reference && Number.isFinite(spec.reference.value)) {
    const ry = clampY(spec.reference.value);
    body += el('line', { x1: x0, x2: x1, y1: ry, y2: ry, stroke: COLORS.label, 'stroke-dasharray': '2 3', 'stroke-width': 1.2, class: 'reference' });
    labels += text(spec.reference.label, { x: x1 - 4, y: ry - 4, 'text-anchor': 'end', class: 'th-label', fill: COLORS.label });
  }
  if (pts.length > 1) {
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(x(p.t))},${round(clampY(p.v))}`).join('');
    body += el('path', { d, fill: 'none', stroke: COLORS.line, 'stroke-width': 1.8, 'stroke-linejoin': 'round', class: 'series-line' });
  }
  const r = pts.length > 60 ? 2 : 3.2;
  // Long series: the line carries the shape; dots only where the verdict was not ok, to keep
  // the file small (each dot has a tooltip).
  const dense = pts.length > 150;
  for (const p of pts) {
    if (dense && (p.status === undefined || p.status === 'ok')) continue;
    const color = STATUS_COLOR[p.status ?? 'ok'];
    const hollow = p.status === 'insufficient_data';
    body += el(
      'circle',
      { cx: x(p.t), cy: clampY(p.v), r, fill: hollow ? '#fff' : color, stroke: color, 'stroke-width': 1.2, class: `pt pt-${p.status ?? 'ok'}` },
      title(`${fmtTime(p.t)} UTC · ${fmt(p.v)}${p.status ? ` · ${p.status.replace('_', ' ')}` : ''}`),
    );
  }
  body += labels;
  return svg(width, height, spec.title, body, `chart ${spec.cls ?? 'series'}`);
}

/** Light fills for the warn and critical zones: the eye reads zones faster than lines. */
function zones(
  th: MetricThresholds | undefined,
  clampY: (v: number) => number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): string {
  if (!th) return '';
  const band = (a: number, b: number, fill: string): string => {
    const top = Math.min(a, b);
    const h = Math.abs(b - a);
    return h > 0.5 ? el('rect', { x: x0, y: top, width: x1 - x0, height: h, fill }) : '';
  };
  let out = '';
  if (th.direction === 'higher-means-drift') {
    if (th.critical !== undefined) out += band(clampY(th.critical), y1, COLORS.criticalZone);
    if (th.warn !== undefined) out += band(clampY(th.warn), th.critical !== undefined ? clampY(th.critical) : y1, COLORS.warnZone);
  } else {
    if (th.critical !== undefined) out += band(clampY(th.critical), y0, COLORS.criticalZone);
    if (th.warn !== undefined) out += band(clampY(th.warn), th.critical !== undefined ? clampY(th.critical) : y0, COLORS.warnZone);
  }
  return out;
}

/** Dashed line and its label (left, just above it); off-axis thresholds are not drawn. */
function thresholdLine(
  name: string,
  value: number | undefined,
  color: string,
  y: (v: number) => number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  fmt: (v: number) => string,
): { line: string; label: string } {
  if (value === undefined || !Number.isFinite(value)) return { line: '', label: '' };
  const ty = y(value);
  if (ty > y0 + 0.5 || ty < y1 - 0.5) return { line: '', label: '' };
  return {
    line: el('line', { x1: x0, x2: x1, y1: ty, y2: ty, stroke: color, 'stroke-dasharray': '5 4', 'stroke-width': 1.4, class: `threshold threshold-${name}` }),
    label: text(`${name} ${fmt(value)}`, { x: x0 + 6, y: ty - 4, class: 'th-label', fill: color }),
  };
}

function fmtPow10(v: number): string {
  const e = Math.round(Math.log10(v));
  return e === 0 ? '1' : `1e${e}`;
}
