/** Text helpers for the HTML report: escaping (feature names are user data) and number/time formats. */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attributes alike. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Compact, readable numbers: 0.1234 → 0.123, 1234.5 → 1,235, 3e-12 → 3.0e-12. */
export function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '—' : v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1).replace('-', '−');
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return trim(v.toFixed(1));
  if (a >= 1) return trim(v.toFixed(2));
  return trim(v.toPrecision(3));
}

/** 1000000 → 1,000,000 */
export function fmtCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

export function fmtPercent(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const p = v * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.1) return `${p.toFixed(2)}%`;
  return `${trim(p.toFixed(1))}%`;
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-23 14:05` (UTC). */
export function fmtTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `2026-11-23 14:00 – 15:00 UTC`, or both dates when the range crosses midnight. */
export function fmtRange(from: number, to: number): string {
  const a = fmtTime(from);
  const b = fmtTime(to);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)} UTC` : `${a} – ${b} UTC`;
}
