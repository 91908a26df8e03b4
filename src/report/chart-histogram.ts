/**
 * Baseline vs current distribution, overlaid: wide grey bars for the baseline, narrower blue
 * bars for the current window, one slot per PSI bin (numeric) or category. PSI bins are
 * baseline quantiles, so slots are equal-width with their edges as labels: drawing them to
 * scale would squash the dense middle and stretch the open-ended tails to infinity.
 */
import { fmtCount, fmtNumber, fmtPercent } from './format.js';
import { linearScale } from './scale.js';
import { COLORS, el, plotArea, svg, text, title, xAxisLine, yGrid } from './svg.js';
import type { ReportHistogram } from './types.js';

export interface HistogramSpec {
  readonly title: string;
  readonly baseline?: ReportHistogram;
  readonly current?: ReportHistogram;
  readonly width?: number;
  readonly height?: number;
  /** Categories beyond this many are folded into "other". */
  readonly maxCategories?: number;
}

interface Slot {
  readonly label: string;
  readonly tip: string;
  readonly base?: number;
  readonly cur?: number;
}

export function histogramChart(spec: HistogramSpec): string {
  const width = spec.width ?? 520;
  const height = spec.height ?? 240;
  const slots = toSlots(spec);
  const left = 48;
  const right = 14;
  const slotW = slots.length ? (width - left - right) / slots.length : 0;
  // Rotate labels only when they would collide (≈6.2 px per character at 10.5 px).
  const rotate = axisLabels(spec, slots).some((l) => l.length * 6.2 > slotW * 0.92);
  const box = { width, height, left, right, top: 46, bottom: rotate ? 64 : 34 };
  const { x0, x1, y0, y1 } = plotArea(box);
  let body = text(spec.title, { x: 0, y: 14, class: 'chart-title' });
  body += legend(spec);
  if (slots.length === 0) {
    body += text('No distribution data for this feature', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' });
    return svg(width, height, spec.title, body, 'chart histogram');
  }
  const maxP = Math.max(...slots.flatMap((s) => [s.base ?? 0, s.cur ?? 0]), 0.01);
  const y = linearScale([0, maxP], [y0, y1], 4);
  body += yGrid(y.ticks, y, x0, x1, (v) => fmtPercent(v));
  slots.forEach((s, i) => {
    const sx = x0 + i * slotW;
    const tip = title(s.tip);
    if (s.base !== undefined) {
      const bw = slotW * 0.86;
      body += el('rect', { x: sx + (slotW - bw) / 2, y: y(s.base), width: bw, height: y0 - y(s.base), fill: COLORS.baseline, 'fill-opacity': 0.55, class: 'bar-baseline' }, tip);
    }
    if (s.cur !== undefined) {
      const cw = slotW * 0.46;
      body += el(
        'rect',
        { x: sx + (slotW - cw) / 2, y: y(s.cur), width: cw, height: y0 - y(s.cur), fill: COLORS.current, 'fill-opacity': 0.8, stroke: COLORS.currentStroke, 'stroke-width': 0.8, class: 'bar-current' },
        tip,
      );
    }
  });
  body += xAxisLine(x0, x1, y0);
  body += xLabels(spec, slots, x0, slotW, y0, rotate);
  return svg(width, height, spec.title, body, 'chart histogram');
}

/** Legend on its own row under the title, so long titles never collide with it. */
function legend(spec: HistogramSpec): string {
  const items: Array<[string, number, string]> = [];
  if (spec.baseline) items.push([COLORS.baseline, 0.55, `baseline (n=${fmtCount(spec.baseline.count)})`]);
  if (spec.current) items.push([COLORS.current, 0.8, `current (n=${fmtCount(spec.current.count)})`]);
  let x = 0;
  let out = '';
  for (const [color, opacity, label] of items) {
    out += el('rect', { x, y: 22, width: 11, height: 11, rx: 2, fill: color, 'fill-opacity': opacity });
    out += text(label, { x: x + 15, y: 31.5, class: 'legend' });
    x += label.length * 6.1 + 34;
  }
  return out;
}

function axisLabels(spec: HistogramSpec, slots: readonly Slot[]): string[] {
  const ref = spec.baseline ?? spec.current;
  return ref?.kind === 'numeric' ? ref.edges.map(fmtNumber) : slots.map((s) => (s.label.length > 14 ? `${s.label.slice(0, 13)}…` : s.label));
}

/** Numeric: labels at the slot boundaries (the bin edges); categorical: under each slot. */
function xLabels(spec: HistogramSpec, slots: readonly Slot[], x0: number, slotW: number, y0: number, rotate: boolean): string {
  const ref = spec.baseline ?? spec.current;
  let out = '';
  if (ref?.kind === 'numeric') {
    ref.edges.forEach((e, i) => {
      const x = x0 + (i + 1) * slotW;
      out += el('line', { x1: x, x2: x, y1: y0, y2: y0 + 4, stroke: COLORS.axis });
      out += rotate
        ? text(fmtNumber(e), { x, y: y0 + 12, transform: `rotate(-40 ${x} ${y0 + 12})`, 'text-anchor': 'end', class: 'tick' })
        : text(fmtNumber(e), { x, y: y0 + 15, 'text-anchor': 'middle', class: 'tick' });
    });
    return out;
  }
  slots.forEach((s, i) => {
    const x = x0 + (i + 0.5) * slotW;
    const label = s.label.length > 14 ? `${s.label.slice(0, 13)}…` : s.label;
    out += rotate
      ? text(label, { x, y: y0 + 12, transform: `rotate(-40 ${x} ${y0 + 12})`, 'text-anchor': 'end', class: 'tick' })
      : text(label, { x, y: y0 + 15, 'text-anchor': 'middle', class: 'tick' });
  });
  return out;
}

function toSlots(spec: HistogramSpec): Slot[] {
  const b = spec.baseline;
  const c = spec.current;
  const ref = b ?? c;
  if (!ref) return [];
  if (ref.kind === 'numeric') {
    const edges = ref.edges;
    const nb = b?.kind === 'numeric' ? b.proportions : undefined;
    const nc = c?.kind === 'numeric' && c.edges.length === edges.length ? c.proportions : undefined;
    return Array.from({ length: edges.length + 1 }, (_, i): Slot => {
      const lo = edges[i - 1];
      const hi = edges[i];
      const range = lo === undefined ? (hi === undefined ? 'all values' : `< ${fmtNumber(hi)}`) : hi === undefined ? `≥ ${fmtNumber(lo)}` : `${fmtNumber(lo)} – ${fmtNumber(hi)}`;
      const base = nb?.[i];
      const cur = nc?.[i];
      return { label: range, tip: tipText(range, base, cur), ...(base !== undefined && { base }), ...(cur !== undefined && { cur }) };
    });
  }
  const bm = new Map(b?.kind === 'categorical' ? b.categories.map((x) => [x.name, x.proportion] as const) : []);
  const cm = new Map(c?.kind === 'categorical' ? c.categories.map((x) => [x.name, x.proportion] as const) : []);
  const names = [...new Set([...bm.keys(), ...cm.keys()])].sort(
    (x, y) => Math.max(bm.get(y) ?? 0, cm.get(y) ?? 0) - Math.max(bm.get(x) ?? 0, cm.get(x) ?? 0) || x.localeCompare(y),
  );
  const max = spec.maxCategories ?? 16;
  const shown = names.length > max ? names.slice(0, max - 1) : names;
  const slots = shown.map((n): Slot => {
    const base = b ? (bm.get(n) ?? 0) : undefined;
    const cur = c ? (cm.get(n) ?? 0) : undefined;
    const note = b && c && !bm.has(n) ? ' (new)' : b && c && !cm.has(n) ? ' (vanished)' : '';
    return { label: n, tip: tipText(`${n}${note}`, base, cur), ...(base !== undefined && { base }), ...(cur !== undefined && { cur }) };
  });
  if (names.length > shown.length) {
    const rest = names.slice(shown.length);
    const base = b ? rest.reduce((s, n) => s + (bm.get(n) ?? 0), 0) : undefined;
    const cur = c ? rest.reduce((s, n) => s + (cm.get(n) ?? 0), 0) : undefined;
    const label = `other (${rest.length})`;
    slots.push({ label, tip: tipText(label, base, cur), ...(base !== undefined && { base }), ...(cur !== undefined && { cur }) });
  }
  return slots;
}

function tipText(what: string, base: number | undefined, cur: number | undefined): string {
  const parts = [what];
  if (base !== undefined) parts.push(`baseline ${fmtPercent(base)}`);
  if (cur !== undefined) parts.push(`current ${fmtPercent(cur)}`);
  return parts.join(' · ');
}

