/**
 * The self-contained HTML drift report of `pulse drift-check --report FILE.html`: one file that opens offline and
 * makes no request (the chart library, the backtest report's stylesheet, the script and the data are inlined).
 *
 * It shows the check (series, model, windows, the dataset verdict against `driftShare`), every column's verdict in
 * one table, and one chart per column with both windows' distributions on common bins (reference as bars, current
 * as a step line; shares of each window's finite values). Drifted columns come first, then by severity, so the
 * page opens on what needs attention. Charts are drawn by the lightweight-charts bundle the backtest report ships,
 * with the bins as its x axis. When they are drawn the script sets `document.body.dataset.charts` to `ready` (or
 * `error`), which the browser test waits for. The same input gives a byte-identical file.
 */
import { isIntraday } from '../core/interval.js';
import { writeTextFileAtomic } from '../backtest/csv-out.js';
import { formatTime } from '../backtest/report/format.js';
import { chartLibraryVersion, renderReportPage } from '../backtest/report/page.js';
import { escapeHtml } from '../backtest/report/sections.js';
import type { ColumnVerdict, DriftCheckResult } from './drift-check.js';
import type { DriftHistogram } from './drift/histogram.js';
import { DRIFT_SEVERITIES } from './drift/severity.js';

/** A charted column: its verdict, its role, and its distributions. */
interface ReportColumn extends ColumnVerdict {
  role: 'feature' | 'prediction' | 'target';
  histogram: DriftHistogram;
}

/** Drifted first, then by severity; ties keep the check's order (prediction, target, then features by concern). */
function reportColumns(result: DriftCheckResult, distributions: Record<string, DriftHistogram>): ReportColumn[] {
  const roles: [ColumnVerdict | null, ReportColumn['role']][] = [
    [result.prediction, 'prediction'],
    [result.target, 'target'],
    ...result.features.map((f): [ColumnVerdict, 'feature'] => [f, 'feature']),
  ];
  const columns = roles.flatMap(([c, role]) => (c && distributions[c.feature] ? [{ ...c, role, histogram: distributions[c.feature] }] : []));
  return columns
    .map((c, i) => ({ c, i }))
    .sort((a, b) => Number(b.c.drifted) - Number(a.c.drifted) || DRIFT_SEVERITIES.indexOf(b.c.severity) - DRIFT_SEVERITIES.indexOf(a.c.severity) || a.i - b.i)
    .map(({ c }) => c);
}

const num = (x: number | null): string => (x === null ? '–' : x === 0 || Math.abs(x) >= 1e-3 ? x.toPrecision(4) : x.toExponential(2));

function verdictRow(c: ReportColumn, k: number): string {
  const verdict = c.drifted ? '<span class="badge fail">drift</span>' : '<span class="badge pass">ok</span>';
  return `<tr data-column="${escapeHtml(c.feature)}" data-drifted="${c.drifted}"><td><a href="#col-${k}">${escapeHtml(c.feature)}</a>${c.role === 'feature' || c.role === c.feature ? '' : ` <span class="reason">${c.role}</span>`}</td><td>${escapeHtml(c.test)}</td><td class="num">${num(c.statistic)}</td><td class="num">${num(c.pValue)}</td><td class="num">${num(c.threshold)}</td><td>${verdict}</td><td>${escapeHtml(c.severity)}</td><td class="num">${c.referenceRows} / ${c.currentRows}${c.dropped ? ` (${c.dropped} NaN)` : ''}</td></tr>`;
}

function chartPanel(c: ReportColumn, k: number): string {
  const p = c.pValue === null ? '' : `, p = ${num(c.pValue)}`;
  return `<section class="panel column" id="col-${k}" data-column="${escapeHtml(c.feature)}" data-drifted="${c.drifted}">
  <div class="chart-head"><h2>${escapeHtml(c.feature)}${c.role === 'feature' || c.role === c.feature ? '' : ` (${c.role})`}</h2><div class="legend">${c.drifted ? '<span class="bad">drifted</span>' : '<span>no drift</span>'}<span>${escapeHtml(c.test)} ${num(c.statistic)}${p}, threshold ${num(c.threshold)}</span></div></div>
  <div class="chart drift-chart" id="chart-${k}"></div>
</section>`;
}

/** Render the report page. `distributions` are the check's histograms (`driftCheck` with `distributions: true`). */
export function renderDriftReport(result: DriftCheckResult, distributions: Record<string, DriftHistogram>, generatedAtMs: number): string {
  const columns = reportColumns(result, distributions);
  const intraday = isIntraday(result.interval);
  const when = (ms: number) => escapeHtml(formatTime(ms, intraday));
  const drifted = result.features.filter((f) => f.drifted).length;
  const verdict = result.datasetDrift
    ? `<span class="badge fail">dataset drift</span> ${drifted} of ${result.features.length} features drifted (${(result.shareOfDriftedFeatures * 100).toFixed(1)}%, threshold ${(result.driftShare * 100).toFixed(0)}%), severity ${escapeHtml(result.severity)}`
    : `<span class="badge pass">no dataset drift</span> ${drifted} of ${result.features.length} features drifted (${(result.shareOfDriftedFeatures * 100).toFixed(1)}%, threshold ${(result.driftShare * 100).toFixed(0)}%)`;
  const data = { columns: columns.map((c) => ({ name: c.feature, drifted: c.drifted, edges: c.histogram.edges, reference: c.histogram.reference, current: c.histogram.current })) };
  return renderReportPage({
    title: `${result.symbol} ${result.interval} · pulse drift check`,
    css: '\n.drift-chart { height: 170px; }\n',
    data,
    script: DRIFT_REPORT_SCRIPT,
    main: `<header class="report-header">
  <div>
    <h1>${escapeHtml(result.symbol)}<span class="interval">${escapeHtml(result.interval)}</span></h1>
    <div class="subtitle">${result.model ? `model ${escapeHtml(result.model)}` : 'feature set check'} · reference ${when(result.reference.from)} → ${when(result.reference.to)} (${result.reference.rows} bars) · current ${when(result.current.from)} → ${when(result.current.to)} (${result.current.rows} bars)</div>
    <div class="subtitle" id="verdict" data-dataset-drift="${result.datasetDrift}">${verdict}</div>
  </div>
  <div class="generated">pulse drift report<br>generated ${escapeHtml(new Date(generatedAtMs).toISOString().replace('T', ' ').slice(0, 16))} UTC<br>check ${escapeHtml(result.checkId)}</div>
</header>
<section class="panel"><h2>Columns</h2>
<table id="columns"><thead><tr><th>column</th><th>test</th><th class="num">statistic</th><th class="num">p-value</th><th class="num">threshold</th><th>verdict</th><th>severity</th><th class="num">rows ref / cur</th></tr></thead>
<tbody>${columns.map(verdictRow).join('')}</tbody></table>
${result.skipped.length ? `<ul class="notes">${result.skipped.map((s) => `<li>skipped ${escapeHtml(s.feature)}: ${escapeHtml(s.reason)}</li>`).join('')}</ul>` : ''}
<p class="chart-note">Each chart: share of the window's finite values per bin, reference as bars and current as a line, on bins between the 0.5% and 99.5% quantiles of both windows (the end bins also hold the values beyond).</p>
</section>
${columns.map(chartPanel).join('\n')}
<footer>pulse drift report · charts by TradingView Lightweight Charts™ v${escapeHtml(chartLibraryVersion())} (Apache-2.0)</footer>`,
  });
}

/** Render the report and write it to `path` atomically. @throws UsageError when the file cannot be written. */
export function writeDriftReport(path: string, result: DriftCheckResult, distributions: Record<string, DriftHistogram>, generatedAtMs: number): void {
  writeTextFileAtomic(path, [renderDriftReport(result, distributions, generatedAtMs)], '--report');
}

/**
 * The page's script (plain ES2017): one chart per column. The x axis is the bin number (lightweight-charts needs
 * increasing times; bin k sits at time k + 1) labelled with the bin's centre value.
 */
const DRIFT_REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  try {
    var LWC = window.LightweightCharts;
    if (!LWC) throw new Error('the chart library did not load');
    var payload = JSON.parse(document.getElementById('pulse-report-data').textContent);
    function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
    var pal = { bg: cssVar('--panel'), text: cssVar('--muted'), grid: cssVar('--grid'), border: cssVar('--border'), accent: cssVar('--accent'), down: cssVar('--down'), bh: cssVar('--bh') };
    function label(x) { var a = Math.abs(x); return x === 0 ? '0' : a >= 1e4 || a < 1e-3 ? x.toExponential(2) : x.toPrecision(3); }
    var drawn = 0;
    payload.columns.forEach(function (col, k) {
      var centres = [];
      for (var b = 0; b < col.reference.length; b++) centres.push((col.edges[b] + col.edges[b + 1]) / 2);
      var fmt = function (t) { var i = Number(t) - 1; return i >= 0 && i < centres.length ? label(centres[i]) : ''; };
      var chart = LWC.createChart(document.getElementById('chart-' + k), {
        autoSize: true, handleScroll: false, handleScale: false,
        layout: { background: { type: 'solid', color: pal.bg }, textColor: pal.text, fontSize: 11 },
        grid: { vertLines: { visible: false }, horzLines: { color: pal.grid } },
        rightPriceScale: { borderColor: pal.border, minimumWidth: 64 },
        timeScale: { borderColor: pal.border, tickMarkFormatter: fmt, fixLeftEdge: true, fixRightEdge: true },
        localization: { timeFormatter: fmt, priceFormatter: function (p) { return (p * 100).toFixed(1) + '%'; } }
      });
      var ref = chart.addSeries(LWC.HistogramSeries, { color: pal.bh + '99', title: 'reference', priceLineVisible: false, lastValueVisible: false });
      ref.setData(col.reference.map(function (v, i) { return { time: i + 1, value: v }; }));
      var cur = chart.addSeries(LWC.LineSeries, { color: col.drifted ? pal.down : pal.accent, lineWidth: 2, lineType: 1, title: 'current', priceLineVisible: false, lastValueVisible: false });
      cur.setData(col.current.map(function (v, i) { return { time: i + 1, value: v }; }));
      chart.timeScale().fitContent();
      drawn++;
    });
    document.body.dataset.drawn = String(drawn);
    document.body.dataset.charts = 'ready';
  } catch (err) {
    console.error('pulse drift report: the charts could not be drawn: ' + (err && err.message ? err.message : String(err)));
    document.body.dataset.charts = 'error';
  }
})();
`;
