/**
 * The report's server-rendered HTML sections (header, key figures, statistics, baselines, parameters, gate,
 * trades, warnings). Tables are static HTML so they read without the page script and print well; every figure
 * cell carries `data-key` and `data-value` (the exact JSON number) so tests and tools can check the page against
 * the result. All text passes through {@link escapeHtml}.
 */
import { isIntraday } from '../../core/interval.js';
import type { AssertionResult } from '../assert.js';
import { STAT_KEYS, STAT_KEY_LIST, type BacktestParams, type BacktestResult, type BaselineSummary, type StatKey, type Trade } from '../types.js';
import { formatFixed, formatStatValue, formatStatWithUnit, formatTime, NOT_MEANINGFUL_TEXT, unitLabel } from './format.js';

/** Most trades listed in the page's trade table (the full list goes to `--trades FILE.csv`). */
export const MAX_TRADE_ROWS = 500;

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** The exact number for a `data-value` attribute (`null` for not meaningful). */
function dataValue(v: number | null): string {
  return v === null ? 'null' : String(v);
}

/** A one-line description of where the signal came from: `model m-42 · threshold 0.001`. */
export function describeSource(source: BacktestParams['source']): string {
  switch (source.kind) {
    case 'model': {
      const r = source.rule;
      const rule =
        r.kind === 'threshold'
          ? `threshold ${r.threshold}`
          : r.kind === 'probability'
            ? `probability > ${r.threshold}`
            : `quantile ${r.quantile} of ${r.windowBars} bars (min ${r.minObservations})`;
      return `model ${source.modelId} · ${rule}`;
    }
    case 'strategy': {
      const params = Object.entries(source.params).map(([k, v]) => `${k}=${v}`);
      return `strategy ${source.name}${params.length > 0 ? ` (${params.join(', ')})` : ''}`;
    }
    case 'signal':
      return 'precomputed signal';
  }
}

/** Label/value rows describing every run parameter; unknown future fields are listed as JSON, never dropped. */
export function describeParams(p: BacktestParams): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Symbol', p.symbol],
    ['Interval', p.interval],
    ['Signal', describeSource(p.source)],
    ['Capital', formatFixed(p.capital, 2)],
    ['Fees', `${p.feeBps} bps per fill`],
    ['Slippage', p.slippage.kind === 'bps' ? `${p.slippage.bps} bps` : `${p.slippage.fraction} × ATR`],
    ['Direction', p.direction],
    [
      'Sizing',
      p.sizing.kind === 'fixed'
        ? `fixed ${formatFixed(p.sizing.fraction * 100, 2)} % of equity`
        : `vol-target ${p.sizing.targetVolPct} % (lookback ${p.sizing.lookbackBars} bars, max leverage ${p.sizing.maxLeverage})`,
    ],
    ['Stop-loss', p.stopLossAtr === null ? 'none' : `${p.stopLossAtr} × ATR`],
    ['Take-profit', p.takeProfitAtr === null ? 'none' : `${p.takeProfitAtr} × ATR`],
    ['ATR period', `${p.atrPeriod} bars`],
    ['Periods per year', String(p.periodsPerYear)],
    ['Risk-free rate', `${p.riskFreePct} %`],
    ['Seed', String(p.seed)],
    ['Bootstrap draws', String(p.bootstrapDraws)],
  ];
  const known = new Set([
    'symbol', 'interval', 'source', 'capital', 'feeBps', 'slippage', 'direction', 'sizing', 'stopLossAtr',
    'takeProfitAtr', 'atrPeriod', 'periodsPerYear', 'riskFreePct', 'seed', 'bootstrapDraws',
  ]);
  for (const [k, v] of Object.entries(p)) if (!known.has(k)) rows.push([k, JSON.stringify(v)]);
  return rows;
}

/** The page header: symbol, interval, signal source, period and generation time. */
export function renderHeader(result: BacktestResult, generatedAtMs: number, title: string | undefined): string {
  const p = result.params;
  const intraday = isIntraday(p.interval);
  const s = result.stats;
  const period =
    s.startMs === null || s.endMs === null
      ? 'empty period'
      : `${formatTime(s.startMs, intraday)} → ${formatTime(s.endMs, intraday)}${intraday ? ' UTC' : ''} · ${formatStatValue(s.durationDays, 'days')} days · ${formatStatValue(s.bars, 'count')} bars`;
  return `<header class="report-header">
  <div>
    <h1>${escapeHtml(title ?? p.symbol)}<span class="interval">${escapeHtml(p.interval)}</span></h1>
    <div class="subtitle" id="report-source">${escapeHtml(describeSource(p.source))}</div>
    <div class="subtitle" id="report-period">${escapeHtml(period)}</div>
  </div>
  <div class="generated">pulse backtest report<br>generated ${escapeHtml(new Date(generatedAtMs).toISOString().replace('T', ' ').slice(0, 16))} UTC</div>
</header>`;
}

function card(label: string, key: StatKey, value: number | null, note: string, tone: 'good' | 'bad' | '' = ''): string {
  const info = STAT_KEYS[key];
  const text = formatStatWithUnit(value, info.unit);
  const cls = [tone, text.length > 16 ? 'long' : ''].filter((c) => c !== '').join(' ');
  return `<div class="card" data-key="${key}" data-value="${dataValue(value)}"><div class="label">${escapeHtml(label)}</div><div class="value ${cls}">${escapeHtml(text)}</div><div class="note">${escapeHtml(note)}</div></div>`;
}

function signTone(v: number | null): 'good' | 'bad' | '' {
  return v === null || v === 0 ? '' : v > 0 ? 'good' : 'bad';
}

/** The key-figure cards above the charts. */
export function renderKeyFigures(result: BacktestResult): string {
  const s = result.stats;
  const random = result.baselines.random;
  const bh = `buy & hold ${formatStatWithUnit(s.buyAndHoldReturnPct, 'pct')}`;
  const sharpeNote = random !== null && random.pValue !== null ? `random-signal p = ${formatFixed(random.pValue, 3)}` : `sortino ${formatStatValue(s.sortino, 'ratio')}`;
  return `<div class="cards" id="key-figures">
${card('Return', 'returnPct', s.returnPct, bh, signTone(s.returnPct))}
${card('CAGR', 'cagrPct', s.cagrPct, `annual vol ${formatStatWithUnit(s.annualVolatilityPct, 'pct')}`, signTone(s.cagrPct))}
${card('Sharpe', 'sharpe', s.sharpe, sharpeNote)}
${card('Max drawdown', 'maxDrawdownPct', s.maxDrawdownPct, `longest ${formatStatWithUnit(s.maxDrawdownDays, 'days')}`, s.maxDrawdownPct !== null && s.maxDrawdownPct > 0 ? 'bad' : '')}
${card('Trades', 'trades', s.trades, `win rate ${formatStatWithUnit(s.winRatePct, 'pct')}`)}
${card('Profit factor', 'profitFactor', s.profitFactor, `expectancy ${formatStatWithUnit(s.expectancyPct, 'pct')}`)}
${card('Exposure', 'exposurePct', s.exposurePct, `fees ${formatStatValue(s.totalFeesCash, 'cash')}`)}
${card('Final equity', 'finalEquityCash', s.finalEquityCash, `from ${formatFixed(result.params.capital, 2)}`)}
</div>`;
}

/**
 * Section headings of the statistics table, keyed by the statistic that opens each section (display order follows
 * STAT_KEY_LIST; a key added to the contract later simply joins the section before it).
 */
const STAT_GROUP_STARTS: Partial<Record<StatKey, string>> = {
  startMs: 'Period',
  finalEquityCash: 'Returns',
  annualVolatilityPct: 'Risk-adjusted',
  maxDrawdownPct: 'Drawdowns',
  trades: 'Trades',
  totalFeesCash: 'Costs',
  directionalAccuracyPct: 'Forecast quality',
};

/** The full statistics table: every key in display order with value, unit and definition. */
export function renderStatsTable(result: BacktestResult): string {
  const intraday = isIntraday(result.params.interval);
  const reasons = new Map(result.notMeaningful.map((n) => [n.key, n.reason]));
  const rows: string[] = [];
  let group = '';
  for (const key of STAT_KEY_LIST) {
    const g = STAT_GROUP_STARTS[key];
    if (g !== undefined && g !== group) {
      group = g;
      rows.push(`<tr class="group"><th colspan="4">${escapeHtml(g)}</th></tr>`);
    }
    rows.push(statRow(key));
  }
  return `<table id="stats-table"><thead><tr><th>Statistic</th><th class="num">Value</th><th>Unit</th><th>Definition</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;

  function statRow(key: StatKey): string {
    const info = STAT_KEYS[key];
    const v = result.stats[key];
    const reason = reasons.get(key);
    const valueCell =
      v === null
        ? `<td class="num na" data-key="${key}" data-value="null">${NOT_MEANINGFUL_TEXT}<span class="reason">${escapeHtml(reason ?? 'not meaningful for this run')}</span></td>`
        : `<td class="num" data-key="${key}" data-value="${dataValue(v)}">${escapeHtml(formatStatValue(v, info.unit, intraday))}</td>`;
    return `<tr><td class="key"><code>${key}</code></td>${valueCell}<td>${unitLabel(info.unit)}</td><td class="definition">${escapeHtml(info.definition)}</td></tr>`;
  }
}

function baselineRow(id: string, label: string, b: BaselineSummary | null): string {
  if (b === null) return `<tr data-baseline="${id}"><td class="label">${escapeHtml(label)}</td><td class="na" colspan="6">not run</td></tr>`;
  const cell = (field: keyof BaselineSummary, unit: 'pct' | 'ratio' | 'count') => {
    const raw = b[field];
    const v = raw === null || Number.isNaN(raw) ? null : raw;
    return `<td class="num${v === null ? ' na' : ''}" data-key="${field}" data-value="${dataValue(v)}">${escapeHtml(formatStatValue(v, unit))}</td>`;
  };
  return `<tr data-baseline="${id}"><td class="label">${escapeHtml(label)}</td>${cell('returnPct', 'pct')}${cell('cagrPct', 'pct')}${cell('sharpe', 'ratio')}${cell('maxDrawdownPct', 'pct')}${cell('trades', 'count')}${cell('exposurePct', 'pct')}</tr>`;
}

/** Strategy against buy-and-hold and the naive forecast, and the random-signal bootstrap. */
export function renderBaselines(result: BacktestResult): string {
  const s = result.stats;
  const strategy: BaselineSummary = {
    returnPct: s.returnPct ?? Number.NaN,
    cagrPct: s.cagrPct,
    sharpe: s.sharpe,
    maxDrawdownPct: s.maxDrawdownPct ?? Number.NaN,
    trades: s.trades ?? 0,
    exposurePct: s.exposurePct ?? Number.NaN,
  };
  const b = result.baselines;
  const table = `<table id="baselines-table"><thead><tr><th></th><th class="num">Return %</th><th class="num">CAGR %</th><th class="num">Sharpe</th><th class="num">Max DD %</th><th class="num">Trades</th><th class="num">Exposure %</th></tr></thead>
<tbody>
${baselineRow('strategy', 'Strategy', strategy)}
${baselineRow('buyAndHold', 'Buy & hold', b.buyAndHold)}
${baselineRow('naive', 'Naive forecast', b.naive)}
</tbody></table>`;
  const r = b.random;
  let random: string;
  if (r === null) {
    random = '<p class="subtitle" id="random-baseline">Random-signal bootstrap not run (disabled, no trades, or the strategy Sharpe is not meaningful).</p>';
  } else {
    const row = (label: string, key: keyof typeof r, v: number | null, text: string) =>
      `<tr><td>${escapeHtml(label)}</td><td class="num" data-key="${key}" data-value="${dataValue(v)}">${escapeHtml(text)}</td></tr>`;
    const ratio = (v: number | null) => formatStatValue(v, 'ratio');
    random = `<table id="random-baseline"><tbody>
${row('Draws (seed)', 'draws', r.draws, `${formatFixed(r.draws, 0)} (seed ${r.seed})`)}
${row('Random Sharpe mean', 'sharpeMean', r.sharpeMean, ratio(r.sharpeMean))}
${row('Random Sharpe 5th percentile', 'sharpeP05', r.sharpeP05, ratio(r.sharpeP05))}
${row('Random Sharpe median', 'sharpeP50', r.sharpeP50, ratio(r.sharpeP50))}
${row('Random Sharpe 95th percentile', 'sharpeP95', r.sharpeP95, ratio(r.sharpeP95))}
${row('Strategy Sharpe percentile', 'strategySharpePercentile', r.strategySharpePercentile, formatStatWithUnit(r.strategySharpePercentile, 'pct'))}
${row('p-value (no better than random)', 'pValue', r.pValue, r.pValue === null ? NOT_MEANINGFUL_TEXT : formatFixed(r.pValue, 4))}
</tbody></table>`;
  }
  return `<div class="grid-2"><div><h2>Baselines</h2>${table}<p class="chart-note">Same engine and costs for every row.</p></div><div><h2>Random-signal bootstrap</h2>${random}</div></div>`;
}

/** The parameters as a definition list. */
export function renderParams(params: BacktestParams): string {
  const rows = describeParams(params).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`);
  return `<dl class="params" id="params">${rows.join('')}</dl>`;
}

/** The `--assert` gate outcome, one line per clause. */
export function renderGate(assertion: AssertionResult): string {
  const rows = assertion.clauses.map((c) => {
    const actual = c.values
      .map((v) => {
        const info = (STAT_KEYS as Record<string, (typeof STAT_KEYS)[StatKey] | undefined>)[v.key];
        const text = v.value === null ? 'null' : info === undefined ? String(v.value) : formatStatWithUnit(v.value, info.unit);
        return `${v.key} = ${text}`;
      })
      .join(', ');
    // A null statistic's reason says why it is null; otherwise the (formatted) actual values say it all.
    const detail = !c.passed && c.reason !== undefined && !c.reason.startsWith('actual ') ? c.reason : `actual ${actual}`;
    return `<div class="gate ${c.passed ? 'pass' : 'fail'}" data-passed="${c.passed}"><code>${escapeHtml(c.text)}</code><span>${escapeHtml(detail)} <span class="badge ${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'fail'}</span></span></div>`;
  });
  const failed = assertion.clauses.filter((c) => !c.passed).length;
  return `<section class="panel" id="gate"><h2>Gate <span class="badge ${failed === 0 ? 'pass' : 'fail'}">${failed === 0 ? 'passed' : `${failed} failed`}</span></h2>${rows.join('\n')}</section>`;
}

/** The trade list (first {@link MAX_TRADE_ROWS} trades), collapsed by default. */
export function renderTrades(trades: readonly Trade[], intraday: boolean): string {
  const shown = trades.slice(0, MAX_TRADE_ROWS);
  const rows = shown.map(
    (t, i) =>
      `<tr><td class="num">${i + 1}</td><td>${t.side}</td><td class="num">${formatTime(t.entryTime, intraday)}</td><td class="num">${formatTime(t.exitTime, intraday)}</td><td class="num">${formatFixed(t.entryPrice, 4)}</td><td class="num">${formatFixed(t.exitPrice, 4)}</td><td class="num">${formatFixed(t.size, 4)}</td><td class="num ${signTone(t.pnl)}">${formatFixed(t.pnl, 2)}</td><td class="num ${signTone(t.returnPct)}">${formatFixed(t.returnPct, 2)}</td><td class="num">${t.barsHeld}</td><td>${t.exitReason}</td></tr>`,
  );
  const note = trades.length > shown.length ? ` (first ${shown.length}; write them all with --trades FILE.csv)` : '';
  return `<details id="trades"><summary>${trades.length} trade${trades.length === 1 ? '' : 's'}${escapeHtml(note)}</summary>
<div class="trades-wrap"><table><thead><tr><th class="num">#</th><th>Side</th><th class="num">Entry</th><th class="num">Exit</th><th class="num">Entry price</th><th class="num">Exit price</th><th class="num">Size</th><th class="num">P&amp;L</th><th class="num">Return %</th><th class="num">Bars</th><th>Exit</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div></details>`;
}

/** The run's warnings, then its routine notes and the report's own (downsampling, omitted markers). */
export function renderWarnings(warnings: readonly string[], notes: readonly string[] = []): string {
  const list = warnings.length === 0
    ? '<p class="subtitle" id="warnings">No warnings.</p>'
    : `<ul class="warnings" id="warnings">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
  return notes.length === 0 ? list : `${list}<ul class="notes" id="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
}
