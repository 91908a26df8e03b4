/** Minimal SVG string building shared by the charts; every text goes through esc(). */
import { esc } from './format.js';

export type Attrs = Readonly<Record<string, string | number | undefined>>;

export function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${esc(typeof v === 'number' ? round(v) : v)}"`)
    .join('');
}

export function el(tag: string, a: Attrs, children = ''): string {
  return children === '' ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`;
}

export function text(content: string, a: Attrs): string {
  return `<text${attrs(a)}>${esc(content)}</text>`;
}

/** Native hover tooltip; needs no script. */
export function title(content: string): string {
  return `<title>${esc(content)}</title>`;
}

/** Two decimals are plenty for pixels and keep the file small. */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export function svg(width: number, height: number, label: string, body: string, cls = 'chart'): string {
  return `<svg class="${esc(cls)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

export const COLORS = {
  baseline: '#94a3b8',
  current: '#2563eb',
  currentStroke: '#1d4ed8',
  line: '#2563eb',
  ok: '#16a34a',
  warn: '#d97706',
  critical: '#dc2626',
  insufficient: '#94a3b8',
  grid: '#e2e8f0',
  axis: '#94a3b8',
  label: '#475569',
  warnZone: 'rgba(217,119,6,0.08)',
  criticalZone: 'rgba(220,38,38,0.08)',
} as const;

export interface Box {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export function plotArea(b: Box): { x0: number; x1: number; y0: number; y1: number } {
  return { x0: b.left, x1: b.width - b.right, y0: b.height - b.bottom, y1: b.top };
}

/** Horizontal grid lines with y labels at the left. */
export function yGrid(ticks: readonly number[], y: (v: number) => number, x0: number, x1: number, fmt: (v: number) => string): string {
  return ticks
    .map(
      (t) =>
        el('line', { x1: x0, x2: x1, y1: y(t), y2: y(t), stroke: COLORS.grid, 'stroke-width': 1 }) +
        text(fmt(t), { x: x0 - 6, y: y(t) + 3.5, 'text-anchor': 'end', class: 'tick' }),
    )
    .join('');
}

export function xAxisLine(x0: number, x1: number, y: number): string {
  return el('line', { x1: x0, x2: x1, y1: y, y2: y, stroke: COLORS.axis, 'stroke-width': 1 });
}
