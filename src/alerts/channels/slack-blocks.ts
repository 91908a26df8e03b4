/**
 * Slack Block Kit message for a notification (pure). Limits Slack enforces: at most 50
 * blocks, 3000 characters per section text, 150 per header; a top-level `text` is the
 * fallback for notifications and clients without blocks.
 */
import { breachText, counts, formatValue, summaryLine, verdict, windowText } from '../format.js';
import type { AlertItem, AlertNotification } from '../types.js';

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION_TEXT = 3000;
export const SLACK_MAX_HEADER_TEXT = 150;

interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'context'; elements: Mrkdwn[] };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack mrkdwn needs &, < and > escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ICON = { critical: ':red_circle:', warn: ':large_orange_circle:', resolved: ':large_green_circle:' } as const;

function headline(n: AlertNotification): string {
  const c = counts(n);
  if (c.firing === 0) return `${ICON.resolved} Drift resolved on ${n.stream}: ${c.resolved} feature${c.resolved === 1 ? '' : 's'}`;
  const icon = c.critical > 0 ? ICON.critical : ICON.warn;
  const crit = c.critical > 0 ? `, ${c.critical} critical` : '';
  const res = c.resolved > 0 ? `, ${c.resolved} resolved` : '';
  return `${icon} Drift on ${n.stream}: ${c.firing} feature${c.firing === 1 ? '' : 's'}${crit}${res}`;
}

function itemSection(item: AlertItem, n: AlertNotification): SlackBlock {
  const icon = item.kind === 'resolved' ? ICON.resolved : ICON[item.severity];
  const lines = [`${icon} *${escapeMrkdwn(item.feature)}* — ${escapeMrkdwn(verdict(item))}`];
  for (const b of item.breaches) lines.push(`• ${item.kind === 'resolved' ? 'was ' : ''}${escapeMrkdwn(breachText(b))}`);
  const labels = Object.entries(item.labels).map(([k, v]) => `${k}=${v}`).join(' · ');
  lines.push(
    `_window ${windowText(n)} · n=${item.nCurrent} · null rate ${formatValue(item.nullRateCurrent)}${labels ? ` · ${escapeMrkdwn(labels)}` : ''}_`,
  );
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), SLACK_MAX_SECTION_TEXT) } };
}

export function slackMessage(n: AlertNotification): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(headline(n), SLACK_MAX_HEADER_TEXT), emoji: true } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(n.stream)}* · window ${windowText(n)} · ${escapeMrkdwn(n.id)}`, SLACK_MAX_SECTION_TEXT) }],
    },
  ];
  const room = SLACK_MAX_BLOCKS - blocks.length;
  const overflow = n.items.length > room;
  const shown = overflow ? n.items.slice(0, room - 1) : n.items;
  for (const item of shown) blocks.push(itemSection(item, n));
  if (overflow) {
    const rest = n.items.slice(shown.length);
    const names = rest.map((i) => `${i.feature} (${i.kind === 'resolved' ? 'resolved' : i.severity})`).join(', ');
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(`…and ${rest.length} more: ${escapeMrkdwn(names)}`, SLACK_MAX_SECTION_TEXT) }],
    });
  }
  return { text: summaryLine(n), blocks };
}
