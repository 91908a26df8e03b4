/**
 * Groups the alerts that changed in one window of one stream into one notification per
 * channel, so 30 drifting features make one message, not 30.
 */
import type { AlertItem, AlertNotification } from './types.js';

const KIND_ORDER = { firing: 0, escalated: 1, repeat: 2, resolved: 3 } as const;

/** Most urgent first: critical before warn, new before repeated before resolved, then by name. */
export function compareItems(a: AlertItem, b: AlertItem): number {
  const resolvedA = a.kind === 'resolved' ? 1 : 0;
  const resolvedB = b.kind === 'resolved' ? 1 : 0;
  if (resolvedA !== resolvedB) return resolvedA - resolvedB;
  if (a.severity !== b.severity) return a.severity === 'critical' ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0;
}

export function notificationId(stream: string, windowStart: number, windowEnd: number, channel: string): string {
  return `alert:${stream}:${windowStart}-${windowEnd}:${channel}`;
}

/**
 * `routed` pairs each item with the channels its rule names (already expanded from `*`).
 * Returns channel → notification, channels in first-seen order.
 */
export function groupNotifications(
  stream: string,
  windowStart: number,
  windowEnd: number,
  routed: ReadonlyArray<{ readonly item: AlertItem; readonly channels: readonly string[] }>,
): Map<string, AlertNotification> {
  const byChannel = new Map<string, AlertItem[]>();
  for (const { item, channels } of routed) {
    for (const ch of channels) {
      let list = byChannel.get(ch);
      if (!list) byChannel.set(ch, (list = []));
      list.push(item);
    }
  }
  const out = new Map<string, AlertNotification>();
  for (const [channel, items] of byChannel) {
    out.set(channel, {
      id: notificationId(stream, windowStart, windowEnd, channel),
      stream,
      windowStart,
      windowEnd,
      items: [...items].sort(compareItems),
    });
  }
  return out;
}
