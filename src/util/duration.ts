import { InputError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Parses durations as written in config and rule files: `500ms`, `30s`, `15m`, `1h`, `1d`, `2w`,
 * or compounds like `1h30m`. A bare number is milliseconds. `where` names the file/field for errors.
 */
export function parseDuration(text: string | number, where = 'duration'): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0) return text;
    throw new InputError(`${where}: ${text} is not a valid duration (expected e.g. 30s, 15m, 1h)`);
  }
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    consumed = re.lastIndex;
  }
  if (s.length === 0 || consumed !== s.length) {
    throw new InputError(`${where}: '${text}' is not a valid duration (expected e.g. 500ms, 30s, 15m, 1h, 1d)`);
  }
  return total;
}

/** Formats milliseconds compactly for messages: 3600000 → "1h". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['w', UNIT_MS.w], ['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
