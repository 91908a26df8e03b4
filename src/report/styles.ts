/** Inline stylesheet of the report: system fonts only, so the file opens offline anywhere. */
export const REPORT_CSS = `
:root { --ink:#0f172a; --muted:#64748b; --line:#e2e8f0; --bg:#f1f5f9; --card:#fff;
  --ok:#16a34a; --warn:#d97706; --crit:#dc2626; --na:#94a3b8; --accent:#2563eb; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 24px 24px 48px; }
header.top { background:#0f172a; color:#e2e8f0; }
header.top .inner { max-width:1140px; margin:0 auto; padding:20px 24px; display:flex; justify-content:space-between; align-items:flex-end; gap:24px; flex-wrap:wrap; }
header.top h1 { margin:0; font-size:22px; font-weight:650; color:#fff; letter-spacing:-0.01em; }
header.top .sub { color:#94a3b8; font-size:13px; margin-top:4px; }
header.top dl { display:grid; grid-template-columns:auto auto; gap:2px 12px; margin:0; font-size:12.5px; }
header.top dt { color:#94a3b8; } header.top dd { margin:0; color:#e2e8f0; font-variant-numeric: tabular-nums; }
h2 { font-size:16px; margin:28px 0 10px; font-weight:650; }
.cards { display:grid; grid-template-columns:repeat(4, 1fr); gap:12px; margin-top:4px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.card .k { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.card .v { font-size:26px; font-weight:650; margin-top:2px; font-variant-numeric: tabular-nums; }
.card.crit .v { color:var(--crit); } .card.warn .v { color:var(--warn); } .card.ok .v { color:var(--ok); }
table { width:100%; border-collapse:collapse; background:var(--card); border:1px solid var(--line); border-radius:10px; overflow:hidden; }
th, td { text-align:left; padding:8px 12px; border-bottom:1px solid var(--line); font-variant-numeric: tabular-nums; }
th { background:#f8fafc; color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
tr:last-child td { border-bottom:none; }
td.num { text-align:right; } th.num { text-align:right; }
td a { color:var(--accent); text-decoration:none; font-weight:600; } td a:hover { text-decoration:underline; }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; font-weight:600; white-space:nowrap; }
.badge.critical { background:#fee2e2; color:#b91c1c; } .badge.warn { background:#fef3c7; color:#b45309; }
.badge.ok { background:#dcfce7; color:#15803d; } .badge.insufficient_data { background:#f1f5f9; color:#64748b; }
.kind { color:var(--muted); font-size:12px; }
.stable { color:var(--muted); margin:10px 2px 0; font-size:13px; }
.stable a { color:#334155; text-decoration:none; border-bottom:1px dotted #94a3b8; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
section.feature { background:var(--card); border:1px solid var(--line); border-radius:12px; margin:18px 0; padding:16px 18px 8px; scroll-margin-top: 12px; }
section.feature.critical { border-left:4px solid var(--crit); } section.feature.warn { border-left:4px solid var(--warn); }
section.feature header { display:flex; align-items:baseline; gap:10px; flex-wrap:wrap; margin-bottom:6px; }
section.feature h3 { margin:0; font-size:17px; font-weight:650; }
section.feature .facts { color:var(--muted); font-size:12.5px; margin-left:auto; }
.grid { display:grid; grid-template-columns:1fr 1fr; gap:6px 22px; }
.grid > div { min-width:0; }
svg.chart { width:100%; height:auto; display:block; overflow:visible; }
svg .chart-title { font-size:12.5px; font-weight:600; fill:#334155; }
svg .tick { font-size:10.5px; fill:#64748b; font-variant-numeric: tabular-nums; }
svg .legend { font-size:11px; fill:#475569; }
svg .th-label { font-size:10.5px; font-weight:600; paint-order:stroke; stroke:#fff; stroke-width:3px; stroke-linejoin:round; }
svg .row-label { font-size:12px; fill:#334155; }
svg .empty { font-size:12px; fill:#94a3b8; font-style:italic; }
.toolbar { display:flex; gap:8px; align-items:center; margin:6px 0 0; color:var(--muted); font-size:13px; }
.toolbar button { border:1px solid var(--line); background:#fff; border-radius:6px; padding:3px 10px; font:inherit; cursor:pointer; color:var(--ink); }
.toolbar button[aria-pressed="true"] { background:var(--ink); color:#fff; border-color:var(--ink); }
body.only-drifted section.feature.is-stable { display:none; }
.caption { color:var(--muted); font-size:12px; margin:6px 0 0; }
.caption .tri { color:var(--warn); } .caption .dot { color:var(--ok); }
footer { color:var(--muted); font-size:12px; margin-top:32px; }
.metrics-table td, .metrics-table th { padding:6px 10px; font-size:13px; }
@media (max-width: 900px) { .grid { grid-template-columns:1fr; } .cards { grid-template-columns:repeat(2,1fr); } }
@media print { body { background:#fff; } .toolbar { display:none; } section.feature { break-inside: avoid; } }
`;
