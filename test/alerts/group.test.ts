import { describe, expect, it } from 'vitest';
import { groupNotifications } from '../../src/alerts/group.js';
import type { AlertItem } from '../../src/alerts/types.js';

const item = (feature: string, kind: AlertItem['kind'], severity: AlertItem['severity']): AlertItem => ({
  feature,
  ruleId: `*/${feature}`,
  kind,
  severity,
  breaches: [],
  labels: {},
  firedAt: 0,
  nCurrent: 100,
  nullRateCurrent: 0,
});

describe('groupNotifications', () => {
  it('30 features of one window make one notification per channel', () => {
    const routed = Array.from({ length: 30 }, (_, i) => ({ item: item(`f${String(i).padStart(2, '0')}`, 'firing', 'warn'), channels: ['slack', 'email'] }));
    const out = groupNotifications('tx', 1000, 2000, routed);
    expect([...out.keys()]).toEqual(['slack', 'email']);
    expect(out.get('slack')!.items).toHaveLength(30);
    expect(out.get('slack')!.id).toBe('alert:tx:1000-2000:slack');
    expect(out.get('email')!.id).toBe('alert:tx:1000-2000:email');
  });

  it('routes each item only to its own channels and orders by urgency', () => {
    const out = groupNotifications('tx', 0, 1, [
      { item: item('b', 'resolved', 'critical'), channels: ['slack'] },
      { item: item('c', 'repeat', 'warn'), channels: ['slack'] },
      { item: item('a', 'firing', 'warn'), channels: ['slack', 'file'] },
      { item: item('d', 'escalated', 'critical'), channels: ['slack'] },
      { item: item('e', 'firing', 'critical'), channels: [] },
    ]);
    expect(out.get('slack')!.items.map((i) => i.feature)).toEqual(['d', 'a', 'c', 'b']);
    expect(out.get('file')!.items.map((i) => i.feature)).toEqual(['a']);
    expect(out.size).toBe(2);
  });
});
