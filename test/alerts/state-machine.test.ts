import { describe, expect, it } from 'vitest';
import { initialRecord, transition } from '../../src/alerts/state-machine.js';
import type { TransitionRule } from '../../src/alerts/state-machine.js';
import type { AlertRecord, NotificationKind } from '../../src/alerts/types.js';
import type { DriftStatus } from '../../src/drift/types.js';
import type { RuleEvaluation } from '../../src/rules/types.js';

const MIN = 60_000;
const key = { stream: 's', feature: 'amount', ruleId: '*/amount' };

function ev(status: DriftStatus): RuleEvaluation {
  const level = status === 'critical' ? 'critical' : 'warn';
  return {
    status,
    breaches: status === 'warn' || status === 'critical' ? [{ test: 'psi', value: level === 'critical' ? 0.3 : 0.15, threshold: level === 'critical' ? 0.25 : 0.1, level }] : [],
  };
}

/** Feeds statuses for consecutive 5-minute windows; returns states and notifications per window. */
function run(rule: TransitionRule, statuses: DriftStatus[], start: AlertRecord = initialRecord(key)) {
  let rec = start;
  const states: string[] = [];
  const notes: Array<NotificationKind | undefined> = [];
  statuses.forEach((s, i) => {
    const t = transition(rec, ev(s), rule, (i + 1) * 5 * MIN);
    rec = t.next;
    states.push(rec.state);
    notes.push(t.notify);
  });
  return { states, notes, rec };
}

const rule = (fireAfter: number, resolveAfter: number, repeatMin = 60): TransitionRule => ({
  fireAfter,
  resolveAfter,
  repeatIntervalMs: repeatMin * MIN,
});

describe('alert state machine', () => {
  it('fire_after: pending until N consecutive windows over threshold, then firing once', () => {
    const { states, notes } = run(rule(3, 1), ['warn', 'warn', 'warn', 'warn']);
    expect(states).toEqual(['pending', 'pending', 'firing', 'firing']);
    expect(notes).toEqual([undefined, undefined, 'firing', undefined]);
  });

  it('a window under threshold while pending resets the count', () => {
    const { states, notes } = run(rule(2, 1), ['warn', 'ok', 'warn', 'critical']);
    expect(states).toEqual(['pending', 'ok', 'pending', 'firing']);
    expect(notes[3]).toBe('firing');
  });

  it('fire_after 1 fires at once', () => {
    expect(run(rule(1, 1), ['critical']).notes).toEqual(['firing']);
  });

  it('resolve_after: stays firing until N consecutive windows under threshold', () => {
    const { states, notes, rec } = run(rule(1, 2), ['critical', 'ok', 'warn', 'ok', 'ok', 'ok']);
    expect(states).toEqual(['firing', 'firing', 'firing', 'firing', 'resolved', 'resolved']);
    expect(notes).toEqual(['firing', undefined, undefined, undefined, 'resolved', undefined]);
    // The resolved record keeps the last incident's severity and breaches for the message.
    expect(rec.severity).toBe('warn');
    expect(rec.breaches[0]?.test).toBe('psi');
  });

  it('after resolving, a new incident goes through pending again', () => {
    const { states, notes } = run(rule(2, 1), ['warn', 'warn', 'ok', 'warn', 'warn']);
    expect(states).toEqual(['pending', 'firing', 'resolved', 'pending', 'firing']);
    expect(notes).toEqual([undefined, 'firing', 'resolved', undefined, 'firing']);
  });

  it('repeat_interval: while firing, re-notify at most that often (window time)', () => {
    // 5-minute windows, repeat every 12 minutes → repeats at +15 and +30 minutes.
    const { notes } = run(rule(1, 1, 12), ['warn', 'warn', 'warn', 'warn', 'warn', 'warn', 'warn']);
    expect(notes).toEqual(['firing', undefined, undefined, 'repeat', undefined, undefined, 'repeat']);
  });

  it('escalation warn → critical notifies at once; critical → warn does not', () => {
    const { notes, states, rec } = run(rule(1, 1, 600), ['warn', 'critical', 'warn', 'critical']);
    expect(states).toEqual(['firing', 'firing', 'firing', 'firing']);
    expect(notes).toEqual(['firing', 'escalated', undefined, 'escalated']);
    expect(rec.severity).toBe('critical');
  });

  it('insufficient data changes nothing (neither fires nor resolves)', () => {
    const { states, notes } = run(rule(2, 2), ['warn', 'insufficient_data', 'warn', 'insufficient_data', 'ok', 'insufficient_data', 'ok']);
    expect(states).toEqual(['pending', 'pending', 'firing', 'firing', 'firing', 'firing', 'resolved']);
    expect(notes.filter(Boolean)).toEqual(['firing', 'resolved']);
  });

  it('ignores a window that is not newer than the last applied one (replay)', () => {
    const first = transition(initialRecord(key), ev('critical'), rule(1, 1), 10 * MIN);
    expect(first.notify).toBe('firing');
    const again = transition(first.next, ev('critical'), rule(1, 1), 10 * MIN);
    expect(again).toEqual({ next: first.next, replayed: true });
    expect(transition(first.next, ev('ok'), rule(1, 1), 5 * MIN).replayed).toBe(true);
  });
});
