/**
 * The report's stylesheet, inlined into the page. Colours are CSS custom properties with a light palette and a
 * dark one chosen by `prefers-color-scheme`; the page script reads the same properties to colour the charts, so
 * tables and charts always agree. System font stacks only (no web fonts: the page makes no requests).
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1b1f24; --muted: #5d6670; --border: #dfe3e8; --grid: #eef0f3;
  --accent: #2962ff; --up: #089981; --down: #f23645; --bh: #8a94a0; --warn-bg: #fff6e0; --warn: #8a5a00;
  --pass-bg: #e7f6ee; --fail-bg: #fdecee; --shadow: 0 1px 2px rgba(16,24,40,.06);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1115; --panel: #171a21; --text: #e6e8eb; --muted: #98a1ab; --border: #2a2f38; --grid: #222731;
    --accent: #5b8cff; --up: #26a69a; --down: #ef5350; --bh: #7d8794; --warn-bg: #2e2612; --warn: #f0c36b;
    --pass-bg: #12261c; --fail-bg: #2d1518; --shadow: none;
  }
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--text); }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 48px; }
header.report-header { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 12px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0; letter-spacing: -.01em; }
h1 .interval { color: var(--muted); font-weight: 500; margin-left: 6px; }
h2 { font-size: 15px; margin: 0 0 10px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.subtitle { color: var(--muted); margin-top: 4px; }
.generated { color: var(--muted); font-size: 12px; text-align: right; }
.num, td.num, th.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
section.panel { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow); padding: 16px 18px; margin-bottom: 16px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 16px; }
@media (max-width: 720px) { .cards { grid-template-columns: repeat(2, 1fr); } }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 12px 14px; box-shadow: var(--shadow); }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 600; margin-top: 4px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.card .value.long { font-size: 16px; line-height: 1.9; }
.card .note { color: var(--muted); font-size: 12px; margin-top: 2px; }
.good { color: var(--up); } .bad { color: var(--down); }
.chart-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; }
.legend { display: flex; gap: 14px; color: var(--muted); font-size: 12px; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.chart { width: 100%; position: relative; }
#chart-price { height: 380px; } #chart-equity { height: 260px; } #chart-drawdown { height: 170px; }
.chart-note { color: var(--muted); font-size: 12px; margin-top: 6px; }
.chart-error { color: var(--down); font-weight: 600; }
.grid-2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .grid-2 { grid-template-columns: 1fr; } }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
th { text-align: left; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
tbody tr:last-child td { border-bottom: none; }
tbody tr:hover td { background: var(--grid); }
td.key code { font-size: 12px; color: var(--muted); }
tr.group th { padding-top: 14px; color: var(--text); border-bottom: 2px solid var(--border); }
td.label { white-space: nowrap; }
td.definition { color: var(--muted); font-size: 12.5px; }
td.na { color: var(--muted); }
.reason { display: block; color: var(--muted); font-size: 11.5px; white-space: normal; }
dl.params { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.params dt { color: var(--muted); }
dl.params dd { margin: 0; font-variant-numeric: tabular-nums; word-break: break-word; }
ul.warnings { margin: 0; padding: 0; list-style: none; }
ul.warnings li { background: var(--warn-bg); color: var(--warn); border-radius: 6px; padding: 6px 10px; margin-bottom: 6px; }
ul.notes { margin: 6px 0 0; padding: 0; list-style: none; }
ul.notes li { color: var(--muted); padding: 2px 10px; }
ul.notes { margin: 6px 0 0; padding: 0; list-style: none; }
ul.notes li { color: var(--muted); padding: 2px 10px; }
.gate { border-radius: 8px; padding: 8px 12px; margin-bottom: 6px; display: flex; justify-content: space-between; gap: 12px; }
.gate.pass { background: var(--pass-bg); } .gate.fail { background: var(--fail-bg); }
.gate code { font-size: 13px; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; }
.badge.pass { background: var(--pass-bg); color: var(--up); } .badge.fail { background: var(--fail-bg); color: var(--down); }
details summary { cursor: pointer; color: var(--muted); margin-bottom: 8px; }
.trades-wrap { max-height: 480px; overflow: auto; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; text-align: center; }
@media print { section.panel, .card { box-shadow: none; break-inside: avoid; } }
`;
