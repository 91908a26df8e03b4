import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it('parses single and compound units', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration(42)).toBe(42);
  });
  it('rejects garbage and names where it came from', () => {
    expect(() => parseDuration('1 hour', 'streams[0].windows.size')).toThrow(/streams\[0\]\.windows\.size: '1 hour'/);
    expect(() => parseDuration('')).toThrow(/not a valid duration/);
    expect(() => parseDuration('5x')).toThrow(/not a valid duration/);
    expect(() => parseDuration(-1)).toThrow(/not a valid duration/);
  });
  it('formats back', () => {
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1500)).toBe('1500ms');
  });
});
