import { describe, expect, it } from 'vitest';
import { esc, fmtCount, fmtNumber, fmtPercent, fmtRange, fmtTime } from '../../src/report/format.js';
import { linearScale, logScale, niceTicks, timeTickLabel, timeTicks } from '../../src/report/scale.js';

describe('format', () => {
  it('escapes text for HTML content and attributes', () => {
    expect(esc(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('formats numbers compactly', () => {
    expect(fmtNumber(0)).toBe('0');
    expect(fmtNumber(0.123456)).toBe('0.123');
    expect(fmtNumber(0.1)).toBe('0.1');
    expect(fmtNumber(2.5)).toBe('2.5');
    expect(fmtNumber(123.456)).toBe('123.5');
    expect(fmtNumber(12345.6)).toBe('12,346');
    expect(fmtNumber(3e-12)).toBe('3.0e−12');
    expect(fmtNumber(Number.NaN)).toBe('—');
    expect(fmtNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(fmtCount(1_000_000)).toBe('1,000,000');
    expect(fmtPercent(0.1234)).toBe('12.3%');
    expect(fmtPercent(0.0004)).toBe('0.04%');
    expect(fmtPercent(0)).toBe('0%');
  });

  it('formats UTC times and ranges', () => {
    const t = Date.UTC(2026, 10, 23, 14, 5);
    expect(fmtTime(t)).toBe('2026-11-23 14:05');
    expect(fmtRange(Date.UTC(2026, 10, 23, 14), Date.UTC(2026, 10, 23, 15))).toBe('2026-11-23 14:00 – 15:00 UTC');
    expect(fmtRange(Date.UTC(2026, 10, 23), Date.UTC(2026, 10, 25))).toBe('2026-11-23 00:00 – 2026-11-25 00:00 UTC');
  });
});

describe('scales', () => {
  it('picks 1-2-5 ticks that cover the data', () => {
    expect(niceTicks(0, 0.38, 4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 17, 4)).toEqual([-5, 0, 5, 10, 15, 20]);
    expect(niceTicks(5, 5)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('maps the snapped domain onto the pixel range', () => {
    const y = linearScale([0, 0.38], [200, 0], 4);
    expect(y.domain).toEqual([0, 0.4]);
    expect(y(0)).toBe(200);
    expect(y(0.4)).toBe(0);
    expect(y(0.1)).toBeCloseTo(150, 9);
  });

  it('log scale spans whole decades down to the smallest p-value', () => {
    const y = logScale([1e-12, 1], [100, 0]);
    expect(y.domain[0]).toBeCloseTo(1e-12, 20);
    expect(y(1)).toBe(0);
    expect(y(1e-12)).toBe(100);
    expect(y(1e-6)).toBeCloseTo(50, 9);
    expect(y(0)).toBe(100 + (100 * (300 - 12)) / 12); // 0 is floored at 1e-300, below the axis
    expect(y.ticks.length).toBeLessThanOrEqual(7);
    expect(y.ticks[y.ticks.length - 1]).toBe(1);
  });

  it('time ticks are UTC-aligned and bounded in number', () => {
    const t0 = Date.UTC(2026, 10, 21, 0, 0);
    const ticks = timeTicks(t0, t0 + 48 * 3_600_000, 8);
    expect(ticks.length).toBeLessThanOrEqual(9);
    expect(ticks[1]! - ticks[0]!).toBe(6 * 3_600_000);
    expect(ticks.every((t) => t % (6 * 3_600_000) === 0)).toBe(true);
    expect(timeTickLabel(Date.UTC(2026, 10, 22, 0), 6 * 3_600_000)).toBe('11-22');
    expect(timeTickLabel(Date.UTC(2026, 10, 22, 6), 6 * 3_600_000)).toBe('06:00');
    expect(timeTickLabel(Date.UTC(2026, 10, 22, 6), 86_400_000)).toBe('11-22');
  });
});
