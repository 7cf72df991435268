/**
 * The self-contained HTML report of a walk-forward optimisation (`pulse optimize ... --walk-forward N --report
 * FILE.html`, `pulse optimize show NAME --report FILE.html`): the settings, the in-sample and out-of-sample value
 * of each window side by side (inline SVG bars, since windows have no continuous axis), the efficiencies, the
 * parameter stability and the windows' table. The same document and `generatedAtMs` give a byte-identical file.
 */
import { writeTextFileAtomic } from '../../backtest/csv-out.js';
import { renderReportPage } from '../../backtest/report/page.js';
import { escapeHtml } from '../../backtest/report/sections.js';
import type { WalkForwardDocument } from './document.js';

const fmt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(5))) : v.toExponential(3));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** In-sample and out-of-sample values per window as grouped bars (a zero line when values change sign). */
function windowsSvg(doc: WalkForwardDocument): string {
  const ws = doc.walkForward.windows;
  const values = ws.flatMap((w) => [w.inSampleValue, w.outOfSampleValue]).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return '<p>no completed window</p>';
  const W = 640;
  const H = 240;
  const L = 60;
  const B = 30;
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const y = (v: number) => 10 + (H - B - 10) * (1 - (v - lo) / span);
  const slot = (W - L - 10) / ws.length;
  const bar = Math.max(2, slot * 0.35);
  const rect = (x: number, v: number | null, cls: string) => {
    if (v === null || !Number.isFinite(v)) return '';
    const top = Math.min(y(v), y(0));
    return `<rect class="${cls}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${bar.toFixed(1)}" height="${Math.max(0.5, Math.abs(y(v) - y(0))).toFixed(1)}"><title>${escapeHtml(fmt(v))}</title></rect>`;
  };
  const bars = ws.map((w, i) => {
    const x0 = L + i * slot + slot / 2 - bar;
    return `${rect(x0, w.inSampleValue, 'is')}${rect(x0 + bar, w.outOfSampleValue, 'oos')}<text x="${(x0 + bar).toFixed(1)}" y="${H - B + 14}" text-anchor="middle">${w.index}</text>`;
  }).join('');
  // Ticks at the ends and at zero (the midpoint when zero is an end).
  const ticks = (lo < 0 && hi > 0 ? [lo, 0, hi] : [lo, (lo + hi) / 2, hi]).map((v) => `<text x="${L - 6}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end">${escapeHtml(fmt(v))}</text>`).join('');
  return `<svg class="wf" viewBox="0 0 ${W} ${H}" role="img" aria-label="in-sample and out-of-sample value per window">
<line class="ax" x1="${L}" y1="${y(0).toFixed(1)}" x2="${W - 10}" y2="${y(0).toFixed(1)}"/><g class="ticks">${ticks}</g><g class="ticks">${bars}</g></svg>
<p class="chart-note"><span class="key is"></span> in sample (best trial) <span class="key oos"></span> out of sample, by window</p>`;
}

const CSS = `
svg.wf { width: 100%; height: auto; max-width: 760px; } svg.wf .ax { stroke: var(--border); }
svg.wf .ticks text { fill: var(--muted); font-size: 10px; } svg.wf rect.is, .key.is { fill: var(--accent); background: var(--accent); }
svg.wf rect.oos, .key.oos { fill: var(--up); background: var(--up); } .key { display: inline-block; width: 10px; height: 10px; }
table.trials { border-collapse: collapse; width: 100%; font-size: 12px; } table.trials td, table.trials th { padding: 3px 6px; border-bottom: 1px solid var(--grid); text-align: left; }
`;

/** Render the walk-forward report page. */
export function renderWalkForwardReportHtml(doc: WalkForwardDocument, generatedAtMs: number): string {
  const wf = doc.walkForward;
  const names = Object.keys(wf.stability);
  const rows = wf.windows.map((w) => `<tr><td class="num">${w.index}</td><td>${day(w.inSample.from)}..${day(w.inSample.to)}</td><td class="num">${w.inSample.bars}</td><td>${day(w.outOfSample.from)}..${day(w.outOfSample.to)}</td><td class="num">${w.outOfSample.bars}</td><td class="num">${fmt(w.inSampleValue)}</td><td class="num">${fmt(w.outOfSampleValue)}</td><td class="num">${fmt(w.efficiency)}</td>${names.map((n) => `<td class="num">${escapeHtml(typeof w.bestParams[n] === 'number' ? fmt(w.bestParams[n] as number) : JSON.stringify(w.bestParams[n] ?? null))}</td>`).join('')}<td>${escapeHtml(w.study)}${w.outOfSampleNote ? `: ${escapeHtml(w.outOfSampleNote)}` : ''}</td></tr>`).join('\n');
  const stability = names.map((n) => {
    const s = wf.stability[n];
    return `<tr><td>${escapeHtml(n)}</td><td>${s.kind === 'numeric' ? `mean ${fmt(s.mean)}, std ${fmt(s.std)}, cv ${fmt(s.cv)}` : `mode ${escapeHtml(JSON.stringify(s.mode))} in ${(s.modeShare * 100).toFixed(0)}% of windows`}</td></tr>`;
  }).join('');
  return renderReportPage({
    title: `${doc.study} · pulse optimize --walk-forward`,
    css: CSS,
    data: { study: doc.study, walkForward: { windows: wf.windows.map((w) => ({ index: w.index, inSampleValue: w.inSampleValue, outOfSampleValue: w.outOfSampleValue })) } },
    script: "document.body.dataset.charts = 'ready';",
    main: `<header class="report-header"><div><h1>${escapeHtml(doc.study)}</h1>
<div class="subtitle">${escapeHtml(`walk-forward of ${doc.model} on ${doc.symbol} ${doc.interval}, ${doc.objective} (${doc.direction}); ${doc.windowsPlanned} ${wf.scheme} windows, sampler ${doc.sampler}, pruner ${doc.pruner}, seed ${doc.seed}`)}</div></div>
<div class="generated">generated ${escapeHtml(new Date(generatedAtMs).toISOString())}</div></header>
<section class="panel"><h2>Efficiency</h2><p>${escapeHtml(`mean walk-forward efficiency ${fmt(wf.efficiency)} over ${wf.efficiencyWindows} of ${wf.windows.length} completed windows (${doc.direction === 'minimize' ? 'in-sample / out-of-sample' : 'out-of-sample / in-sample'}; 1 = no degradation)`)}</p></section>
<section class="panel"><h2>In sample and out of sample</h2>${windowsSvg(doc)}</section>
<section class="panel"><h2>Windows</h2><table class="trials"><tr><th>window</th><th>in sample</th><th>bars</th><th>out of sample</th><th>bars</th><th>in-sample value</th><th>out-of-sample value</th><th>efficiency</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th>study</th></tr>
${rows}
</table></section>
<section class="panel"><h2>Parameter stability</h2><table class="trials">${stability}</table></section>
<footer>pulse optimize walk-forward report</footer>`,
  });
}

/**
 * Render the walk-forward report and write it to `path` atomically.
 * @throws UsageError when the file cannot be written.
 */
export function writeWalkForwardReportHtml(path: string, doc: WalkForwardDocument, generatedAtMs: number): void {
  writeTextFileAtomic(path, [renderWalkForwardReportHtml(doc, generatedAtMs)], '--report');
}
