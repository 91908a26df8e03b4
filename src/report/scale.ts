/** Pure axis maths for the SVG charts: linear/log scales and "nice" tick positions. */

export interface Scale {
  (v: number): number;
  readonly ticks: readonly number[];
  readonly domain: readonly [number, number];
}

/** Ticks at 1, 2, 5 × 10^k covering [min, max], about `count` of them; the domain snaps to them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.5;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(min / step + 1e-9) * step;
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start, i = 0; v <= end + step * 1e-6 && i < 50; v += step, i++) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number], count = 5): Scale {
  const ticks = niceTicks(domain[0], domain[1], count);
  const d0 = ticks[0] ?? domain[0];
  const d1 = ticks[ticks.length - 1] ?? domain[1];
  const span = d1 - d0 || 1;
  const f = ((v: number) => range[0] + ((v - d0) / span) * (range[1] - range[0])) as Scale;
  return Object.assign(f, { ticks, domain: [d0, d1] as const });
}

/** Base-10 log scale for p-values, which span 1 down to 1e-300. */
export function logScale(domain: readonly [number, number], range: readonly [number, number], floor = 1e-300): Scale {
  const lo = Math.floor(Math.log10(Math.max(floor, Math.min(domain[0], domain[1]))));
  const hi = Math.ceil(Math.log10(Math.max(floor, Math.max(domain[0], domain[1]))));
  const top = hi === lo ? lo + 1 : hi;
  const decades = top - lo;
  const every = Math.max(1, Math.ceil(decades / 6));
  const ticks: number[] = [];
  for (let e = top; e >= lo; e -= every) ticks.push(10 ** e);
  ticks.reverse();
  const f = ((v: number) => {
    const lv = Math.log10(Math.max(floor, v));
    return range[0] + ((lv - lo) / decades) * (range[1] - range[0]);
  }) as Scale;
  return Object.assign(f, { ticks, domain: [10 ** lo, 10 ** top] as const });
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TIME_STEPS = [MIN, 5 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

/** UTC-aligned time ticks (every 15 min, 1 h, 6 h, 1 d, …) giving at most `count` ticks in [t0, t1]. */
export function timeTicks(t0: number, t1: number, count = 6): number[] {
  const span = Math.max(t1 - t0, MIN);
  const step = TIME_STEPS.find((s) => span / s <= count) ?? Math.ceil(span / count / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return ticks;
}

export function timeScale(domain: readonly [number, number], range: readonly [number, number], count = 6): Scale {
  const [d0, d1] = domain[1] > domain[0] ? domain : [domain[0] - HOUR / 2, domain[0] + HOUR / 2];
  const f = ((v: number) => range[0] + ((v - d0) / (d1 - d0)) * (range[1] - range[0])) as Scale;
  return Object.assign(f, { ticks: timeTicks(d0, d1, count), domain: [d0, d1] as const });
}

/** Spacing of a tick list (the step timeTicks chose). */
export function tickStep(ticks: readonly number[]): number {
  return ticks.length > 1 ? (ticks[1] ?? 0) - (ticks[0] ?? 0) : DAY;
}

/** Time tick label: `14:00` for sub-day steps with the date `11-23` at midnight; dates otherwise. */
export function timeTickLabel(t: number, stepMs: number): string {
  const d = new Date(t);
  const p = (n: number): string => String(n).padStart(2, '0');
  const date = `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  if (stepMs >= DAY) return date;
  const hm = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return hm === '00:00' ? date : hm;
}
