/**
 * `pulse backtest [run]` and `pulse backtest ls`: options -> StoredBacktestRequest (src/backtest/options.ts) ->
 * runStoredBacktest() -> a statistics table against the baselines with an equity sparkline, or one `--json`
 * document; `--assert` exits 4.
 */
import { formatAssertionFailures, throwIfAssertionFailed } from '../src/backtest/assert.js';
import { BACKTEST_LS_OPTIONS, BACKTEST_RUN_OPTIONS } from '../src/backtest/options.js';
import { backtestRequest } from '../src/backtest/request.js';
import { formatStatValue } from '../src/backtest/report/format.js';
import { listRecordedBacktests, runStoredBacktest, type BacktestRun } from '../src/backtest/run.js';
import { STAT_KEY_LIST, STAT_KEYS, type BaselineSummary } from '../src/backtest/types.js';
import { isIntraday } from '../src/core/interval.js';
import { parseOptions } from '../src/core/option-schema.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

/** `pulse backtest SYMBOL --interval I ...` (see src/backtest/options.ts for which backtest runs). */
export async function backtestRun(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const request = backtestRequest(symbol, parseOptions(BACKTEST_RUN_OPTIONS, raw), { config: ctx.config(), home: ctx.home, cwd: ctx.cwd, workers: ctx.env.PULSE_BACKTEST_WORKERS });
  const run = await runStoredBacktest(request, { store: await ctx.store(), now: ctx.now, log: ctx.log, signal: ctx.signal });
  ctx.log.info(`recorded as backtest #${run.recordId}`);
  for (const w of run.result.warnings) ctx.log.warn(w);
  emit(ctx, backtestDocument(run), () => render(ctx, run));
  if (run.assertion) {
    if (!ctx.json) for (const line of formatAssertionFailures(run.assertion)) ctx.stderr.write(`${line}\n`);
    throwIfAssertionFailed(run.assertion);
  }
}

/**
 * The `--json` result: every statistic, the baselines, the parameters and the model, the trades, the gate and the
 * files written. Per-bar curves are left out (write them with --equity). Same inputs and seed give the same bytes:
 * nothing here depends on the clock or the record id.
 */
export function backtestDocument(run: BacktestRun) {
  const r = run.result;
  return {
    backtestSchemaVersion: r.schemaVersion,
    symbol: r.params.symbol,
    interval: r.params.interval,
    kind: run.kind,
    source: run.source,
    model: run.model,
    walkForward: run.walkForward,
    params: r.params,
    stats: r.stats,
    notMeaningful: r.notMeaningful,
    baselines: r.baselines,
    warnings: r.warnings,
    notes: r.notes,
    assertion: run.assertion,
    files: run.files,
    trades: r.trades,
  };
}

const SPARK = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of `values` (at most `width` characters, each the mean of its bucket). */
export function sparkline(values: Float64Array, width = 60): string {
  const n = values.length;
  if (n === 0) return '';
  const w = Math.min(width, n);
  const buckets = new Float64Array(w);
  for (let b = 0; b < w; b++) {
    const lo = Math.floor((b * n) / w);
    const hi = Math.max(lo + 1, Math.floor(((b + 1) * n) / w));
    let s = 0;
    for (let i = lo; i < hi; i++) s += values[i];
    buckets[b] = s / (hi - lo);
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of buckets) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  let out = '';
  for (const v of buckets) out += SPARK[span > 0 ? Math.min(SPARK.length - 1, Math.floor(((v - min) / span) * SPARK.length)) : 3];
  return out;
}

function render(ctx: Context, run: BacktestRun): string {
  const st = style(ctx);
  const r = run.result;
  const intraday = isIntraday(r.params.interval);
  const f = (key: (typeof STAT_KEY_LIST)[number], v: number | null) => formatStatValue(v, STAT_KEYS[key].unit, intraday);
  const head = run.model
    ? `model ${run.model.id} (${run.model.family}, ${run.model.target} h=${run.model.horizon}, trained through ${formatTime(run.model.trainTo)})`
    : run.walkForward
      ? `walk-forward ${run.walkForward.family} (${run.walkForward.target} h=${run.walkForward.horizon}, retrain every ${run.walkForward.retrainEvery} bars, window ${run.walkForward.trainWindow}, ${run.walkForward.segments.length} retrainings)`
      : `strategy ${run.source}`;
  const p = r.params;
  const lines = [
    `${st.bold(`${p.symbol} ${p.interval}`)} ${formatTime(r.stats.startMs, !intraday)} .. ${formatTime(r.stats.endMs, !intraday)}: ${head}`,
    `  ${p.direction}, fee ${p.feeBps} bps, slippage ${p.slippage.kind === 'bps' ? `${p.slippage.bps} bps` : `${p.slippage.fraction} ATR`}, sizing ${p.sizing.kind === 'fixed' ? `fixed ${p.sizing.fraction}` : `vol-target ${p.sizing.targetVolPct} %`}, capital ${p.capital}, seed ${p.seed}`,
    '',
  ];
  const b = r.baselines;
  const cell = (s: BaselineSummary | null, k: keyof BaselineSummary, key: (typeof STAT_KEY_LIST)[number]) => (s ? f(key, s[k]) : '-');
  const rows: [string, (typeof STAT_KEY_LIST)[number], keyof BaselineSummary][] = [
    ['return %', 'returnPct', 'returnPct'],
    ['CAGR %', 'cagrPct', 'cagrPct'],
    ['Sharpe', 'sharpe', 'sharpe'],
    ['max drawdown %', 'maxDrawdownPct', 'maxDrawdownPct'],
    ['trades', 'trades', 'trades'],
    ['exposure %', 'exposurePct', 'exposurePct'],
  ];
  // The naive forecast exists only for model-driven runs (a strategy has no forecast to replace).
  lines.push(
    b.naive
      ? table(
          ['', 'backtest', 'buy & hold (after costs)', 'naive forecast'],
          rows.map(([label, key, bk]) => [label, f(key, r.stats[key]), cell(b.buyAndHold, bk, key), cell(b.naive, bk, key)]),
          ['l', 'r', 'r', 'r'],
        )
      : table(['', 'backtest', 'buy & hold (after costs)'], rows.map(([label, key, bk]) => [label, f(key, r.stats[key]), cell(b.buyAndHold, bk, key)]), ['l', 'r', 'r']),
  );
  if (b.random) {
    const q = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
    lines.push(
      `  random entries (${b.random.draws} draws, same trades and exposure): Sharpe p05 ${q(b.random.sharpeP05)}, p50 ${q(b.random.sharpeP50)}, p95 ${q(b.random.sharpeP95)}; backtest at percentile ${b.random.strategySharpePercentile === null ? 'n/a' : b.random.strategySharpePercentile.toFixed(1)}, p-value ${q(b.random.pValue)}`,
    );
  } else {
    lines.push('  random-entry baseline: not run (no trades, no meaningful Sharpe, or --bootstrap 0)');
  }
  lines.push('', `  equity ${sparkline(r.equity.equity)} ${f('finalEquityCash', r.stats.finalEquityCash)}`, '');
  const rest = STAT_KEY_LIST.filter((k) => !['startMs', 'endMs', ...rows.map((x) => x[1])].includes(k));
  const half = Math.ceil(rest.length / 2);
  lines.push(
    table(
      ['statistic', 'value', 'statistic', 'value'],
      rest.slice(0, half).map((k, i) => {
        const k2 = rest[half + i];
        return [statLabel(k), f(k, r.stats[k]), k2 ? statLabel(k2) : '', k2 ? f(k2, r.stats[k2]) : ''];
      }),
      ['l', 'r', 'l', 'r'],
    ),
  );
  if (r.notMeaningful.length) lines.push(`  n/a: ${r.notMeaningful.map((n) => `${n.key} (${n.reason})`).join('; ')}`);
  for (const note of r.notes) lines.push(`  note: ${note}`);
  if (run.assertion) lines.push('', run.assertion.passed ? st.green(`gate passed: ${run.assertion.source}`) : st.red(`gate failed: ${run.assertion.source}`));
  for (const [what, path] of Object.entries(run.files)) if (path) lines.push(`${what}: ${path}`);
  return lines.join('\n');
}

/**
 * A statistic's row label: its key, with what tells two buy-and-hold figures apart (the statistic is the price
 * change alone; the baseline column runs buy-and-hold through the engine, paying the run's costs).
 */
function statLabel(key: (typeof STAT_KEY_LIST)[number]): string {
  return key === 'buyAndHoldReturnPct' ? 'buyAndHoldReturnPct (price only, no costs)' : key;
}

/** `pulse backtest ls [--symbol S] [--limit N]`. */
export async function backtestLs(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(BACKTEST_LS_OPTIONS, raw);
  const backtests = await listRecordedBacktests(await ctx.store(), { symbol: opts.symbol, limit: opts.limit });
  const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
  emit(ctx, { backtests }, (r) =>
    r.backtests.length === 0
      ? 'no backtests recorded yet (try `pulse backtest SYMBOL --interval 1d --strategy sma-cross`)'
      : table(
          ['#', 'ran', 'symbol', 'interval', 'source', 'from', 'to', 'bars', 'return %', 'Sharpe', 'max DD %', 'trades', 'gate', 'report'],
          r.backtests.map((b) => [
            b.id,
            formatTime(b.createdAt),
            b.symbol,
            b.interval,
            b.source,
            formatTime(b.fromTs, true),
            formatTime(b.toTs, true),
            b.bars,
            fmt(b.returnPct),
            fmt(b.sharpe),
            fmt(b.maxDrawdownPct),
            b.trades,
            b.assertPassed === null ? '-' : b.assertPassed ? 'pass' : 'fail',
            b.reportPath ?? '-',
          ]),
          ['r', 'l', 'l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
        ),
  );
}
