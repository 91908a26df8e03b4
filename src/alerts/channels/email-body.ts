/** Email subject, text and HTML for a notification (pure); both bodies carry the same facts. */
import { breachText, formatValue, notificationText, summaryLine, verdict, windowText } from '../format.js';
import type { AlertNotification } from '../types.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const COLOR = { critical: '#c0392b', warn: '#d68910', resolved: '#1e8449' } as const;

export function emailSubject(n: AlertNotification): string {
  return `[driftwatch] ${summaryLine(n)}`;
}

export function emailText(n: AlertNotification): string {
  return `${notificationText(n)}\n\n-- \nSent by driftwatch.\n`;
}

export function emailHtml(n: AlertNotification): string {
  const rows = n.items
    .map((item) => {
      const color = item.kind === 'resolved' ? COLOR.resolved : COLOR[item.severity];
      const breaches = item.breaches
        .map((b) => `<li>${item.kind === 'resolved' ? 'was ' : ''}${escapeHtml(breachText(b))}</li>`)
        .join('');
      const labels = Object.entries(item.labels)
        .map(([k, v]) => `${escapeHtml(k)}=${escapeHtml(v)}`)
        .join(', ');
      return `<tr>
  <td style="padding:6px 10px;border-bottom:1px solid #ddd;vertical-align:top"><strong>${escapeHtml(item.feature)}</strong></td>
  <td style="padding:6px 10px;border-bottom:1px solid #ddd;vertical-align:top;color:${color};font-weight:600">${escapeHtml(verdict(item))}</td>
  <td style="padding:6px 10px;border-bottom:1px solid #ddd;vertical-align:top"><ul style="margin:0;padding-left:18px">${breaches}</ul></td>
  <td style="padding:6px 10px;border-bottom:1px solid #ddd;vertical-align:top">n=${item.nCurrent}<br>null rate ${formatValue(item.nullRateCurrent)}${labels ? `<br>${labels}` : ''}</td>
</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222">
<h2 style="margin:0 0 8px">${escapeHtml(summaryLine(n))}</h2>
<p style="margin:0 0 12px">Stream <strong>${escapeHtml(n.stream)}</strong>, window ${escapeHtml(windowText(n))}</p>
<table style="border-collapse:collapse">
<thead><tr>
  <th style="text-align:left;padding:6px 10px;border-bottom:2px solid #999">Feature</th>
  <th style="text-align:left;padding:6px 10px;border-bottom:2px solid #999">Verdict</th>
  <th style="text-align:left;padding:6px 10px;border-bottom:2px solid #999">Metric, value, threshold</th>
  <th style="text-align:left;padding:6px 10px;border-bottom:2px solid #999">Window data</th>
</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p style="color:#777;font-size:12px;margin-top:16px">${escapeHtml(n.id)} · sent by driftwatch</p>
</body></html>
`;
}
