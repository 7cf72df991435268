/**
 * The self-contained HTML backtest report for `--report FILE.html`: one file that opens offline and makes no
 * request (the chart library, styles, script and data are all inlined). It shows a header (symbol, interval,
 * signal source, period), key figures, three linked interactive charts (price with trade markers, equity against
 * buy-and-hold, drawdown), the optional `--assert` gate, the full statistics table with units and definitions, the
 * baselines and random-signal bootstrap, the parameters, the trades and the warnings.
 *
 * The data sits in a `<script type="application/json" id="pulse-report-data">` block (every `<` escaped, so no
 * value can end the element). Charts are downsampled for long series (see chart-data.ts); statistics and tables
 * always come from the full result. The same input gives a byte-identical file.
 */
import { isIntraday } from '../../core/interval.js';
import type { BarSeries } from '../../core/bars.js';
import type { AssertionResult } from '../assert.js';
import { writeTextFileAtomic } from '../csv-out.js';
import { BACKTEST_SCHEMA_VERSION, type BacktestResult } from '../types.js';
import { buildChartData, DEFAULT_MAX_CHART_POINTS, MAX_TRADE_MARKERS, type ChartData } from './chart-data.js';
import { chartLibraryVersion, renderReportPage } from './page.js';
import { REPORT_CLIENT_SCRIPT } from './client-script.js';
import { formatFixed } from './format.js';
import {
  escapeHtml,
  renderBaselines,
  renderGate,
  renderHeader,
  renderKeyFigures,
  renderParams,
  renderStatsTable,
  renderTrades,
  renderWarnings,
} from './sections.js';

/** Version of the embedded JSON payload's shape. */
export const REPORT_DATA_VERSION = 1;

/** What the report is built from. */
export interface ReportInput {
  /** The backtest result, exactly as the engine returned it. */
  result: BacktestResult;
  /** The bars the backtest ran on (same length and times as `result.equity`). */
  bars: BarSeries;
  /** When the report was made, ms since the epoch; shown in the header (pass a fixed value for reproducible files). */
  generatedAtMs: number;
  /** The `--assert` outcome, when a gate was given. */
  assertion?: AssertionResult;
  /** Page title; defaults to the symbol. */
  title?: string;
  /** Most chart points per series (>= 2); default {@link DEFAULT_MAX_CHART_POINTS}. */
  maxChartPoints?: number;
}

/** The JSON payload embedded in the page: the figures the page shows, plus the chart columns. */
export interface ReportData {
  reportVersion: typeof REPORT_DATA_VERSION;
  generatedAtMs: number;
  /** Whether times include the time of day (intraday intervals). */
  intraday: boolean;
  /** The result without its per-bar curves and trade list (those are summarised by `chart` and the page). */
  result: Omit<BacktestResult, 'equity' | 'trades'> & { tradeCount: number };
  assertion: AssertionResult | null;
  chart: ChartData;
}

export { serializeForScript } from './page.js';

/** Build the report's JSON payload (exposed for tests and tools that want the page's exact figures). */
export function buildReportData(input: ReportInput): ReportData {
  const { result } = input;
  const { equity: _equity, trades, ...rest } = result;
  return {
    reportVersion: REPORT_DATA_VERSION,
    generatedAtMs: input.generatedAtMs,
    intraday: isIntraday(result.params.interval),
    result: { ...rest, tradeCount: trades.length },
    assertion: input.assertion ?? null,
    chart: buildChartData(input.bars, result.equity, trades, result.params.capital, input.maxChartPoints ?? DEFAULT_MAX_CHART_POINTS),
  };
}

/** Notes the report adds about itself (downsampled charts, omitted markers), shown with the run's warnings. */
function reportNotes(chart: ChartData): string[] {
  const notes: string[] = [];
  if (chart.bucketSize > 1) {
    notes.push(
      `Charts show ${formatFixed(chart.time.length, 0)} points for ${formatFixed(chart.sourceBars, 0)} bars (${chart.bucketSize} bars per candle, deepest drawdown per candle); all statistics use every bar.`,
    );
  }
  if (chart.markersOmitted > 0) notes.push(`${chart.markersOmitted} trade markers beyond the first ${MAX_TRADE_MARKERS} are not drawn.`);
  return notes;
}

/** Render the complete report page. */
export function renderReportHtml(input: ReportInput): string {
  const { result } = input;
  const data = buildReportData(input);
  const intraday = data.intraday;
  const chartNote =
    data.chart.bucketSize > 1
      ? `Downsampled for display: ${data.chart.bucketSize} bars per point. Scroll or drag to zoom; the three charts share one time axis.`
      : 'Scroll or drag to zoom; the three charts share one time axis.';
  return renderReportPage({
    title: `${input.title ?? result.params.symbol} ${result.params.interval} · pulse backtest`,
    data,
    script: REPORT_CLIENT_SCRIPT,
    main: `${renderHeader(result, input.generatedAtMs, input.title)}
${input.assertion === undefined ? '' : renderGate(input.assertion)}
${renderKeyFigures(result)}
<section class="panel">
  <div class="chart-head"><h2>Price and trades</h2><div class="legend"><span><span class="swatch" style="background:var(--accent)"></span>entry</span><span><span class="swatch" style="background:var(--up)"></span>winning exit</span><span><span class="swatch" style="background:var(--down)"></span>losing exit</span></div></div>
  <div class="chart" id="chart-price"></div>
</section>
<section class="panel">
  <div class="chart-head"><h2>Equity</h2><div class="legend"><span><span class="swatch" style="background:var(--accent)"></span>strategy</span><span><span class="swatch" style="background:var(--bh)"></span>buy &amp; hold (no costs)</span></div></div>
  <div class="chart" id="chart-equity"></div>
</section>
<section class="panel">
  <div class="chart-head"><h2>Drawdown</h2><div class="legend"><span>% below the running equity peak</span></div></div>
  <div class="chart" id="chart-drawdown"></div>
  <p class="chart-note">${escapeHtml(chartNote)}</p>
</section>
<section class="panel">${renderBaselines(result)}</section>
<section class="panel"><h2>Statistics</h2>${renderStatsTable(result)}</section>
<div class="grid-2">
<section class="panel"><h2>Parameters</h2>${renderParams(result.params)}</section>
<section class="panel"><h2>Warnings and notes</h2>${renderWarnings(result.warnings, [...result.notes, ...reportNotes(data.chart)])}</section>
</div>
<section class="panel"><h2>Trades</h2>${renderTrades(result.trades, intraday)}</section>
<footer>pulse backtest report · result schema v${BACKTEST_SCHEMA_VERSION} · charts by TradingView Lightweight Charts™ v${escapeHtml(chartLibraryVersion())} (Apache-2.0)</footer>`,
  });
}

/**
 * Render the report and write it to `path` atomically.
 * @throws UsageError when the file cannot be written.
 */
export function writeReportHtml(path: string, input: ReportInput): void {
  writeTextFileAtomic(path, [renderReportHtml(input)], '--report');
}
