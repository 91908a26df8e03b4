import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkWindowSpec, firstWindowStart, paneWidth, windowRanges, windowSpecFromText } from '../../src/features/windows.js';

describe('windowRanges', () => {
  it('tumbling: one epoch-aligned window', () => {
    expect(windowRanges(0, 60_000, 60_000)).toEqual([[0, 60_000]]);
    expect(windowRanges(59_999, 60_000, 60_000)).toEqual([[0, 60_000]]);
    expect(windowRanges(60_000, 60_000, 60_000)).toEqual([[60_000, 120_000]]);
    expect(windowRanges(1_700_000_123_456, 3_600_000, 3_600_000)).toEqual([[1_699_999_200_000, 1_700_002_800_000]]);
  });

  it('hopping: size/slide windows, ascending, all containing ts', () => {
    expect(windowRanges(25, 30, 10)).toEqual([
      [0, 30],
      [10, 40],
      [20, 50],
    ]);
    expect(windowRanges(30, 30, 10)).toEqual([
      [10, 40],
      [20, 50],
      [30, 60],
    ]);
    // size not a multiple of slide
    expect(windowRanges(7, 5, 2)).toEqual([
      [4, 9],
      [6, 11],
    ]);
  });

  it('negative (pre-epoch) times stay aligned', () => {
    expect(windowRanges(-1, 10, 10)).toEqual([[-10, 0]]);
    expect(windowRanges(-5, 10, 5)).toEqual([
      [-10, 0],
      [-5, 5],
    ]);
  });

  it('matches a brute-force definition', () => {
    for (const [size, slide] of [[10, 10], [10, 5], [9, 3], [7, 2], [12, 8]] as const) {
      for (let ts = -40; ts <= 40; ts++) {
        const brute: [number, number][] = [];
        for (let s = -200; s <= 200; s++) if (s % slide === 0 && s <= ts && ts < s + size) brute.push([s, s + size]);
        expect(windowRanges(ts, size, slide)).toEqual(brute);
        expect(firstWindowStart(ts, size, slide)).toBe(brute[0]?.[0]);
      }
    }
  });
});

describe('window specs', () => {
  it('pane width is gcd(size, slide)', () => {
    expect(paneWidth(3_600_000, 300_000)).toBe(300_000);
    expect(paneWidth(7, 2)).toBe(1);
    expect(paneWidth(60, 60)).toBe(60);
  });

  it('parses durations and defaults slide to size', () => {
    expect(windowSpecFromText({ size: '1h' })).toEqual({ sizeMs: 3_600_000, slideMs: 3_600_000, allowedLatenessMs: 0, idleTimeoutMs: Infinity });
    expect(windowSpecFromText({ size: '1h', slide: '5m', allowedLateness: '30s', idleTimeout: '2m' })).toEqual({
      sizeMs: 3_600_000,
      slideMs: 300_000,
      allowedLatenessMs: 30_000,
      idleTimeoutMs: 120_000,
    });
  });

  it('rejects bad specs naming the field', () => {
    expect(() => windowSpecFromText({ size: '5m', slide: '10m' }, 'streams.tx.windows')).toThrow(/streams\.tx\.windows\.slide/);
    expect(() => windowSpecFromText({ size: 'soon' }, 'streams.tx.windows')).toThrow(InputError);
    expect(() => checkWindowSpec({ sizeMs: 0, slideMs: 0, allowedLatenessMs: 0, idleTimeoutMs: 1 })).toThrow(/size/);
    expect(() => checkWindowSpec({ sizeMs: 10.5, slideMs: 10, allowedLatenessMs: 0, idleTimeoutMs: 1 })).toThrow(/whole number/);
    expect(() => checkWindowSpec({ sizeMs: 10, slideMs: 10, allowedLatenessMs: -1, idleTimeoutMs: 1 })).toThrow(/allowed_lateness/);
  });
});
