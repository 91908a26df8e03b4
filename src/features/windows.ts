/**
 * Epoch-aligned window range arithmetic (quix-streams style): a window [start, end) has
 * start a multiple of the slide and end = start + size. Tumbling when slide == size.
 */
import { InputError } from '../errors.js';
import { parseDuration } from '../util/duration.js';
import type { WindowSpec } from './types.js';

export type WindowRange = [start: number, end: number];

/** Windows containing `tsMs`, ascending by start. */
export function windowRanges(tsMs: number, sizeMs: number, slideMs: number): WindowRange[] {
  const ranges: WindowRange[] = [];
  for (let start = firstWindowStart(tsMs, sizeMs, slideMs); start <= tsMs; start += slideMs) {
    ranges.push([start, start + sizeMs]);
  }
  return ranges;
}

/** Start of the earliest window containing `tsMs`: the smallest multiple of slide above ts − size. */
export function firstWindowStart(tsMs: number, sizeMs: number, slideMs: number): number {
  return (Math.floor((tsMs - sizeMs) / slideMs) + 1) * slideMs;
}

/** Start of the latest window containing `tsMs`. */
export function lastWindowStart(tsMs: number, slideMs: number): number {
  return Math.floor(tsMs / slideMs) * slideMs;
}

/**
 * Pane width: every window boundary is a multiple of gcd(size, slide), so events can be
 * aggregated once per pane and windows merged from panes at close (one update per event
 * instead of size/slide).
 */
export function paneWidth(sizeMs: number, slideMs: number): number {
  let a = sizeMs;
  let b = slideMs;
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Checks a window spec once, at the boundary; `where` names the config field for messages. */
export function checkWindowSpec(spec: WindowSpec, where = 'windows'): WindowSpec {
  const positiveInt = (v: number, field: string): void => {
    if (!Number.isSafeInteger(v) || v <= 0) {
      throw new InputError(`${where}.${field}: ${v} must be a whole number of milliseconds > 0`);
    }
  };
  positiveInt(spec.sizeMs, 'size');
  positiveInt(spec.slideMs, 'slide');
  if (spec.slideMs > spec.sizeMs) {
    throw new InputError(`${where}.slide (${spec.slideMs}ms) must not exceed size (${spec.sizeMs}ms): events between windows would be lost`);
  }
  if (!(spec.allowedLatenessMs >= 0) || !Number.isFinite(spec.allowedLatenessMs)) {
    throw new InputError(`${where}.allowed_lateness: ${spec.allowedLatenessMs} must be a finite duration ≥ 0`);
  }
  if (!(spec.idleTimeoutMs > 0)) {
    throw new InputError(`${where}.idle_timeout: ${spec.idleTimeoutMs} must be > 0 (Infinity disables idleness)`);
  }
  return spec;
}

export interface WindowSpecText {
  size: string | number;
  slide?: string | number;
  allowedLateness?: string | number;
  idleTimeout?: string | number;
}

/** Builds a checked WindowSpec from config-style durations (`1h`, `5m`, …). Slide defaults to size. */
export function windowSpecFromText(text: WindowSpecText, where = 'windows'): WindowSpec {
  const sizeMs = parseDuration(text.size, `${where}.size`);
  return checkWindowSpec(
    {
      sizeMs,
      slideMs: text.slide === undefined ? sizeMs : parseDuration(text.slide, `${where}.slide`),
      allowedLatenessMs: text.allowedLateness === undefined ? 0 : parseDuration(text.allowedLateness, `${where}.allowed_lateness`),
      idleTimeoutMs: text.idleTimeout === undefined ? Infinity : parseDuration(text.idleTimeout, `${where}.idle_timeout`),
    },
    where,
  );
}
