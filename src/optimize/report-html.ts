/**
 * The self-contained HTML study report (`pulse optimize ... --report FILE.html`, `pulse optimize show STUDY
 * --report FILE.html`): one file that opens offline and makes no request. It shows the study's settings and best
 * trial, the optimisation history (every complete trial's value and the best value so far by trial number, pruned
 * trials at their last intermediate value) drawn with the chart library the backtest report inlines
 * (lightweight-charts), the parameters' importance (fANOVA) as bars, one slice plot per parameter (value against
 * the parameter, log-scaled for log ranges; inline SVG, since a slice has no time axis), and the trial table.
 *
 * The same report and `generatedAtMs` give a byte-identical file.
 */
import { writeTextFileAtomic } from '../backtest/csv-out.js';
import { chartLibraryVersion, renderReportPage } from '../backtest/report/page.js';
import { escapeHtml } from '../backtest/report/sections.js';
import type { StudyReport, TrialView } from './results.js';
import type { Distribution, ParamValue } from './space.js';

/** The history the page's chart draws (trial numbers on the x axis). */
export interface HistoryData {
  complete: { number: number; value: number }[];
  pruned: { number: number; value: number }[];
  /** Best complete value so far, at every trial from the first complete one. */
  best: { number: number; value: number }[];
}

/** The history of a study's trials (see {@link HistoryData}). */
export function historyData(report: StudyReport): HistoryData {
  const complete: HistoryData['complete'] = [];
  const pruned: HistoryData['pruned'] = [];
  const best: HistoryData['best'] = [];
  let running: number | null = null;
  for (const t of report.trials) {
    if (t.state === 'complete' && t.value !== null && Number.isFinite(t.value)) {
      complete.push({ number: t.number, value: t.value });
      running = running === null ? t.value : report.direction === 'minimize' ? Math.min(running, t.value) : Math.max(running, t.value);
    } else if (t.state === 'pruned' && t.value !== null && Number.isFinite(t.value)) {
      pruned.push({ number: t.number, value: t.value });
    }
    if (running !== null) best.push({ number: t.number, value: running });
  }
  return { complete, pruned, best };
}

const fmt = (v: number | null): string => (v === null || !Number.isFinite(v) ? '-' : Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(5))) : v.toExponential(3));
const fmtParam = (v: ParamValue | undefined): string => (v === undefined ? '-' : typeof v === 'number' ? fmt(v) : JSON.stringify(v));

/** One slice plot: complete trials' values against one parameter, as inline SVG. */
function sliceSvg(name: string, d: Distribution, trials: readonly TrialView[], direction: string): string {
  const W = 360;
  const H = 220;
  const L = 56;
  const B = 34;
  const points = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value) && t.params[name] !== undefined);
  const ys = points.map((t) => t.value!);
  const yLo = Math.min(...ys);
  const yHi = Math.max(...ys);
  const ySpan = yHi - yLo || Math.abs(yHi) || 1;
  const y = (v: number) => 10 + (H - B - 10) * (1 - (v - yLo) / ySpan);
  let x: (v: ParamValue) => number;
  let ticks: { at: number; label: string }[];
  if (d.kind === 'categorical') {
    const k = d.choices.length;
    x = (v) => L + ((W - L - 10) * (d.choices.indexOf(v) + 0.5)) / k;
    ticks = d.choices.map((c) => ({ at: x(c), label: JSON.stringify(c) }));
  } else {
    const log = d.log && d.low > 0;
    const lo = log ? Math.log(d.low) : d.low;
    const hi = log ? Math.log(d.high) : d.high;
    const span = hi - lo || 1;
    x = (v) => L + ((W - L - 10) * (((log ? Math.log(v as number) : (v as number)) - lo) / span));
    ticks = [d.low, log ? Math.sqrt(d.low * d.high) : (d.low + d.high) / 2, d.high].map((v) => ({ at: x(v), label: fmt(v) }));
  }
  const dots = points.map((t) => `<circle cx="${x(t.params[name]).toFixed(1)}" cy="${y(t.value!).toFixed(1)}" r="3.5"><title>trial ${t.number}: ${escapeHtml(fmtParam(t.params[name]))} -&gt; ${escapeHtml(fmt(t.value))}</title></circle>`).join('');
  const axis = ticks.map((t) => `<text x="${t.at.toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${escapeHtml(t.label)}</text>`).join('');
  const yAxis = [yLo, yHi].map((v) => `<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(fmt(v))}</text>`).join('');
  return `<figure class="slice"><figcaption>${escapeHtml(name)}${d.kind !== 'categorical' && d.log ? ' (log)' : ''}</figcaption>`
    + `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(`${direction} value against ${name}`)}">`
    + `<line class="ax" x1="${L}" y1="${H - B}" x2="${W - 10}" y2="${H - B}"/><line class="ax" x1="${L}" y1="10" x2="${L}" y2="${H - B}"/>`
    + `<g class="ticks">${axis}${yAxis}</g><g class="dots">${dots}</g></svg></figure>`;
}

const EXTRA_CSS = `
#chart-history { height: 320px; }
.bars td.bar { width: 60%; } .bars .fill { height: 10px; background: var(--accent); border-radius: 2px; }
.slices { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
figure.slice { margin: 0; } figure.slice figcaption { color: var(--muted); font-size: 12px; margin-bottom: 2px; }
figure.slice svg { width: 100%; height: auto; } figure.slice .ax { stroke: var(--border); }
figure.slice .ticks text { fill: var(--muted); font-size: 10px; } figure.slice .dots circle { fill: var(--accent); fill-opacity: .7; }
table.trials { border-collapse: collapse; width: 100%; font-size: 12px; } table.trials td, table.trials th { padding: 3px 6px; border-bottom: 1px solid var(--grid); text-align: left; }
`;

/** The page's script: the history chart (trial numbers stand in for the time axis). */
const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  try {
    var LWC = window.LightweightCharts;
    if (!LWC) throw new Error('the chart library did not load');
    var h = JSON.parse(document.getElementById('pulse-report-data').textContent).history;
    function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
    // lightweight-charts needs increasing times: trial n sits at time n + 1 and is labelled n.
    function at(p) { return { time: p.number + 1, value: p.value }; }
    function label(t) { return 'trial ' + (t - 1); }
    var chart = LWC.createChart(document.getElementById('chart-history'), {
      autoSize: true,
      layout: { background: { type: 'solid', color: cssVar('--panel') }, textColor: cssVar('--muted'), fontSize: 11 },
      grid: { vertLines: { color: cssVar('--grid') }, horzLines: { color: cssVar('--grid') } },
      timeScale: { tickMarkFormatter: function (t) { return String(t - 1); } },
      localization: { timeFormatter: label }
    });
    chart.addSeries(LWC.LineSeries, { color: cssVar('--up'), lineWidth: 2, lineType: 1, title: 'best so far' }).setData(h.best.map(at));
    chart.addSeries(LWC.LineSeries, { color: cssVar('--accent'), lineVisible: false, pointMarkersVisible: true, pointMarkersRadius: 3, title: 'complete' }).setData(h.complete.map(at));
    if (h.pruned.length) chart.addSeries(LWC.LineSeries, { color: cssVar('--bh'), lineVisible: false, pointMarkersVisible: true, pointMarkersRadius: 3, title: 'pruned' }).setData(h.pruned.map(at));
    chart.timeScale().fitContent();
    document.body.dataset.charts = 'ready';
  } catch (err) {
    console.error('pulse study report: ' + (err && err.message ? err.message : err));
    document.body.dataset.charts = 'error';
  }
})();
`;

/** Render the study report page. */
export function renderStudyReportHtml(report: StudyReport, generatedAtMs: number): string {
  const history = historyData(report);
  const s = report.subject;
  const names = Object.keys(report.space);
  const best = report.bestTrial;
  const count = (state: string) => report.trials.filter((t) => t.state === state).length;
  const importance = report.importance
    ? `<table class="bars">${report.importance.map((i) => `<tr><td>${escapeHtml(i.param)}</td><td class="num">${(i.importance * 100).toFixed(1)}%</td><td class="bar"><div class="fill" style="width:${(i.importance * 100).toFixed(2)}%"></div></td></tr>`).join('')}</table>`
    : `<p>${escapeHtml(report.importanceNote ?? 'not available')}</p>`;
  const rows = report.trials.map((t) => `<tr><td class="num">${t.number}</td><td>${t.state}</td><td class="num">${escapeHtml(fmt(t.value))}</td><td class="num">${t.step ?? '-'}</td>${names.map((n) => `<td class="num">${escapeHtml(fmtParam(t.params[n]))}</td>`).join('')}<td>${escapeHtml(t.failReason ?? '')}</td></tr>`).join('\n');
  return renderReportPage({
    title: `${report.study} · pulse optimize`,
    css: EXTRA_CSS,
    data: { study: report.study, direction: report.direction, history, importance: report.importance },
    script: CLIENT_SCRIPT,
    main: `<header class="report-header"><div><h1>${escapeHtml(report.study)}</h1>
<div class="subtitle">${escapeHtml(`${s.model} on ${s.symbol} ${s.interval}, target ${s.target} h=${s.horizon}, ${s.objective} (${report.direction}); sampler ${report.sampler}, pruner ${report.pruner}, seed ${report.seed}`)}</div></div>
<div class="generated">generated ${escapeHtml(new Date(generatedAtMs).toISOString())}</div></header>
<section class="panel"><h2>Best trial</h2>
<p>${best ? escapeHtml(`trial ${best.number}: ${fmt(best.value)}; `) + escapeHtml(Object.entries(best.params).map(([k, v]) => `${k} = ${fmtParam(v)}`).join(', ')) : 'no complete trial'}</p>
<p>${escapeHtml(`${report.trials.length} trials: ${count('complete')} complete, ${count('pruned')} pruned, ${count('failed')} failed, ${count('running')} running`)}</p></section>
<section class="panel"><div class="chart-head"><h2>Optimisation history</h2></div><div class="chart" id="chart-history"></div>
<p class="chart-note">Each complete trial's value and the best value so far, by trial number; pruned trials at their last intermediate value.</p></section>
<section class="panel"><h2>Parameter importance (fANOVA)</h2>${importance}</section>
<section class="panel"><h2>Slices</h2><div class="slices">${names.map((n) => sliceSvg(n, report.space[n], report.trials, report.direction)).join('\n')}</div></section>
<section class="panel"><h2>Trials</h2><table class="trials"><tr><th>#</th><th>state</th><th>value</th><th>step</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th>note</th></tr>
${rows}
</table></section>
<footer>pulse optimize report · charts by TradingView Lightweight Charts™ v${escapeHtml(chartLibraryVersion())} (Apache-2.0)</footer>`,
  });
}

/**
 * Render the study report and write it to `path` atomically.
 * @throws UsageError when the file cannot be written.
 */
export function writeStudyReportHtml(path: string, report: StudyReport, generatedAtMs: number): void {
  writeTextFileAtomic(path, [renderStudyReportHtml(report, generatedAtMs)], '--report');
}
