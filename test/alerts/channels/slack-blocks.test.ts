import { describe, expect, it } from 'vitest';
import { SLACK_MAX_BLOCKS, SLACK_MAX_SECTION_TEXT, slackMessage } from '../../../src/alerts/channels/slack-blocks.js';
import type { AlertItem, AlertNotification } from '../../../src/alerts/types.js';

const T = Date.UTC(2026, 10, 23, 10, 0, 0);

function item(feature: string, over: Partial<AlertItem> = {}): AlertItem {
  return {
    feature,
    ruleId: `*/${feature}`,
    kind: 'firing',
    severity: 'critical',
    breaches: [{ test: 'psi', value: 0.3172, threshold: 0.25, level: 'critical' }],
    labels: { team: 'risk' },
    firedAt: T + 300_000,
    nCurrent: 5000,
    nullRateCurrent: 0.01,
    ...over,
  };
}

function note(items: AlertItem[]): AlertNotification {
  return { id: 'alert:tx:1-2:slack', stream: 'tx', windowStart: T, windowEnd: T + 300_000, items };
}

describe('slackMessage', () => {
  it('header, one section per feature with metric, value, threshold, window, verdict; text fallback', () => {
    const m = slackMessage(
      note([
        item('amount'),
        item('country', { severity: 'warn', breaches: [{ test: 'jensen_shannon', value: 0.12, threshold: 0.1, level: 'warn' }] }),
        item('device_score', { kind: 'resolved', severity: 'warn', breaches: [{ test: 'ks_pvalue', value: 1e-7, raw: 2e-8, threshold: 0.01, level: 'warn' }] }),
      ]),
    );
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':red_circle: Drift on tx: 2 features, 1 critical, 1 resolved', emoji: true } });
    const sections = m.blocks.filter((b) => b.type === 'section').map((b) => (b as { text: { text: string } }).text.text);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toContain('*amount* — CRITICAL: drift detected');
    expect(sections[0]).toContain('PSI 0.3172 ≥ critical threshold 0.25');
    expect(sections[0]).toContain('window 2026-11-23 10:00–10:05 UTC');
    expect(sections[0]).toContain('n=5000');
    expect(sections[1]).toContain('Jensen-Shannon distance 0.12 ≥ warn threshold 0.1');
    expect(sections[2]).toContain('resolved: back to normal');
    expect(sections[2]).toContain('was KS p-value 1.00e-7 (raw 2.00e-8, adjusted) &lt; warn threshold 0.01'); // mrkdwn-escaped
    expect(m.text).toBe('[CRITICAL] tx: 2 features drifting (1 critical), 1 feature resolved — window 2026-11-23 10:00–10:05 UTC');
  });

  it('stays within 50 blocks and 3000 characters per section', () => {
    const many = Array.from({ length: 80 }, (_, i) =>
      item(`feature_${i}`, { breaches: Array.from({ length: 60 }, () => ({ test: 'psi' as const, value: 0.5, threshold: 0.25, level: 'critical' as const })) }),
    );
    const m = slackMessage(note(many));
    expect(m.blocks.length).toBe(SLACK_MAX_BLOCKS);
    for (const b of m.blocks) {
      const text = b.type === 'context' ? b.elements[0]!.text : b.text.text;
      expect(text.length).toBeLessThanOrEqual(b.type === 'header' ? 150 : SLACK_MAX_SECTION_TEXT);
    }
    const last = m.blocks[m.blocks.length - 1]!;
    expect(last.type).toBe('context');
    expect(last.type === 'context' && last.elements[0]!.text).toMatch(/^…and 33 more: feature_47 \(critical\)/);
  });

  it('escapes Slack control characters in names', () => {
    const m = slackMessage(note([item('a<b>&c')]));
    const s = m.blocks.find((b) => b.type === 'section');
    expect(s?.type === 'section' && s.text.text).toContain('*a&lt;b&gt;&amp;c*');
  });

  it('a resolved-only notification says so', () => {
    const m = slackMessage(note([item('amount', { kind: 'resolved' })]));
    expect(m.blocks[0]!.type === 'header' && m.blocks[0]!.text.text).toBe(':large_green_circle: Drift resolved on tx: 1 feature');
    expect(m.text.startsWith('[RESOLVED] tx: 1 feature resolved')).toBe(true);
  });
});
