/**
 * The backtest result contract: what `runBacktest` returns, what the report, the `--assert` language, JUnit output
 * and `--json` read. Keys carry their units (`returnPct`, `maxDrawdownDays`, `finalEquityCash`); every statistic
 * is described once in {@link STAT_KEYS}. Definitions are in docs/backtest.md.
 *
 * Conventions: times are ms since the Unix epoch (UTC); prices are in the series' price units; "cash" amounts are
 * in the account currency of `params.capital`; percentages are in percent (12.5 means 12.5 %); drawdowns are
 * reported as positive depths (a 20 % fall from the peak is `20`).
 */
import type { Interval } from '../core/interval.js';
import type { SignalRule } from '../lifecycle/signals.js';

/** Version of the result shape; bumped on any incompatible change to these types. */
export const BACKTEST_SCHEMA_VERSION = 1;

/** Which sides the engine may take: long only (short signals go flat) or long and short. */
export type Direction = 'long-only' | 'long-short';

/** Slippage model: a fixed number of basis points of the fill price, or a fraction of the ATR (price units). */
export type SlippageSpec = { kind: 'bps'; bps: number } | { kind: 'atr'; fraction: number };

/**
 * Position sizing.
 * - `fixed`: each entry commits `fraction` x equity (0 < fraction <= 10; above 1 is leverage).
 * - `vol-target`: each entry commits min(maxLeverage, targetVolPct / trailing annualised realised volatility) x
 *   equity, the volatility measured on the `lookbackBars` close-to-close log returns up to the signal bar.
 */
export type SizingSpec =
  | { kind: 'fixed'; fraction: number }
  | { kind: 'vol-target'; targetVolPct: number; lookbackBars: number; maxLeverage: number };

/** Everything that determined a run, echoed in the result so it can be reproduced. */
export interface BacktestParams {
  symbol: string;
  interval: Interval;
  /** Where the signal came from: a model's predictions, a named rule strategy, or precomputed positions. */
  source: { kind: 'model'; modelId: string; rule: SignalRule } | { kind: 'strategy'; name: string; params: Record<string, number> } | { kind: 'signal' };
  /** Starting equity (cash), > 0. */
  capital: number;
  /** Fee per fill in basis points of the traded notional, charged on entry and on exit (0..1000). */
  feeBps: number;
  slippage: SlippageSpec;
  direction: Direction;
  sizing: SizingSpec;
  /** Stop-loss distance in ATRs from the entry fill, or null for none. */
  stopLossAtr: number | null;
  /** Take-profit distance in ATRs from the entry fill, or null for none. */
  takeProfitAtr: number | null;
  /** Wilder ATR period (bars) used by ATR slippage and stops. */
  atrPeriod: number;
  /** Periods per year used to annualise (from the instrument's calendar unless given: about 252 for XNYS daily bars, 8760 for crypto hourly). */
  periodsPerYear: number;
  /** Annual risk-free rate in percent, subtracted in Sharpe and Sortino (default 0). */
  riskFreePct: number;
  /** Seed of every random draw (the random-signal bootstrap). */
  seed: number;
  /** Random-signal bootstrap draws (0 disables the bootstrap). */
  bootstrapDraws: number;
}

/**
 * Why a trade was closed. `end` = still open after the last bar, closed at its close; `liquidation` = equity fell
 * to zero or below and the position was closed at that bar's close (the account stops trading).
 */
export type ExitReason = 'signal' | 'stop-loss' | 'take-profit' | 'end' | 'liquidation';

/** One round trip. */
export interface Trade {
  side: 'long' | 'short';
  /** Bar index (into the series) whose open filled the entry. */
  entryIndex: number;
  /** Bar index in which the exit filled (at its open for signals, intrabar for stops, its close for `end`). */
  exitIndex: number;
  entryTime: number;
  exitTime: number;
  /** Fill prices including slippage (price units). */
  entryPrice: number;
  exitPrice: number;
  /** Units held (> 0; fractional units allowed). */
  size: number;
  /** Net profit in cash: price change x size x side, minus entry and exit fees. */
  pnl: number;
  /** pnl / entry notional x 100 (net of fees). */
  returnPct: number;
  /** exitIndex - entryIndex. */
  barsHeld: number;
  /** Entry plus exit fees (cash). */
  fees: number;
  exitReason: ExitReason;
}

/** Per-bar curves, all of the series' length, marked at each bar's close. */
export interface EquityCurve {
  time: Float64Array;
  /** Account value (cash + position marked at the close). */
  equity: Float64Array;
  /** Depth below the running equity peak, percent, >= 0. */
  drawdownPct: Float64Array;
  /** Signed exposure at the close: position value / equity (1 = fully long, -1 = fully short, 0 = flat). */
  position: Float64Array;
}

/** Statistics computed from closed trades (null with the reason "no trades" when there are none), in display order. */
export const PER_TRADE_STAT_KEYS = [
  'winRatePct',
  'winRateLowPct',
  'winRateHighPct',
  'bestTradePct',
  'worstTradePct',
  'avgTradePct',
  'avgTradeDays',
  'maxTradeDays',
  'avgTradeBars',
  'profitFactor',
  'expectancyPct',
  'sqn',
  'kelly',
] as const;

/** Statistic keys, in display order. */
export const STAT_KEY_LIST = [
  'startMs',
  'endMs',
  'durationDays',
  'bars',
  'exposurePct',
  'finalEquityCash',
  'peakEquityCash',
  'returnPct',
  'buyAndHoldReturnPct',
  'annualReturnPct',
  'cagrPct',
  'annualVolatilityPct',
  'sharpe',
  'sortino',
  'calmar',
  'omega',
  'alphaPct',
  'beta',
  'maxDrawdownPct',
  'maxDrawdownDays',
  'avgDrawdownPct',
  'avgDrawdownDays',
  'trades',
  ...PER_TRADE_STAT_KEYS,
  'totalFeesCash',
  'directionalAccuracyPct',
  'informationCoefficient',
  'forecastRmse',
] as const;

/** One statistic's name. */
export type StatKey = (typeof STAT_KEY_LIST)[number];

/** How a statistic reads: its unit and a one-line definition (full definitions in docs/backtest.md). */
export interface StatInfo {
  unit: 'ms' | 'days' | 'bars' | 'pct' | 'cash' | 'ratio' | 'count';
  definition: string;
  /** Whether a larger value is better (null when neither, e.g. beta or a date). */
  higherIsBetter: boolean | null;
}

/** Every statistic with its unit and one-line definition. */
export const STAT_KEYS: Record<StatKey, StatInfo> = {
  startMs: { unit: 'ms', definition: 'open time of the first bar', higherIsBetter: null },
  endMs: { unit: 'ms', definition: 'open time of the last bar', higherIsBetter: null },
  durationDays: { unit: 'days', definition: 'calendar days from the first to the last bar', higherIsBetter: null },
  bars: { unit: 'count', definition: 'number of bars in the window', higherIsBetter: null },
  exposurePct: { unit: 'pct', definition: 'share of bars in which a position was open at any moment', higherIsBetter: null },
  finalEquityCash: { unit: 'cash', definition: 'equity at the last close', higherIsBetter: true },
  peakEquityCash: { unit: 'cash', definition: 'highest equity at any close', higherIsBetter: true },
  returnPct: { unit: 'pct', definition: 'final / initial equity - 1', higherIsBetter: true },
  buyAndHoldReturnPct: { unit: 'pct', definition: 'last close / first close - 1 (no costs)', higherIsBetter: null },
  annualReturnPct: { unit: 'pct', definition: '(1 + geometric mean per-bar return)^periodsPerYear - 1', higherIsBetter: true },
  cagrPct: { unit: 'pct', definition: '(final / initial equity)^(1 / calendar years) - 1, years = days / 365.25', higherIsBetter: true },
  annualVolatilityPct: { unit: 'pct', definition: 'sample std of per-bar returns x sqrt(periodsPerYear)', higherIsBetter: false },
  sharpe: { unit: 'ratio', definition: '(mean per-bar return - rf per bar) / std x sqrt(periodsPerYear)', higherIsBetter: true },
  sortino: { unit: 'ratio', definition: '(mean per-bar return - rf per bar) / downside deviation x sqrt(periodsPerYear)', higherIsBetter: true },
  calmar: { unit: 'ratio', definition: 'annualReturnPct / maxDrawdownPct', higherIsBetter: true },
  omega: { unit: 'ratio', definition: 'sum of per-bar gains / sum of per-bar losses (threshold 0)', higherIsBetter: true },
  alphaPct: { unit: 'pct', definition: 'returnPct - beta x buyAndHoldReturnPct (Jensen, rf 0)', higherIsBetter: true },
  beta: { unit: 'ratio', definition: 'cov(equity log returns, close log returns) / var(close log returns)', higherIsBetter: null },
  maxDrawdownPct: { unit: 'pct', definition: 'deepest fall of equity below its running peak (positive)', higherIsBetter: false },
  maxDrawdownDays: { unit: 'days', definition: 'longest time from a peak to recovery (or the last bar)', higherIsBetter: false },
  avgDrawdownPct: { unit: 'pct', definition: 'mean depth of the drawdown episodes', higherIsBetter: false },
  avgDrawdownDays: { unit: 'days', definition: 'mean duration of the drawdown episodes', higherIsBetter: false },
  trades: { unit: 'count', definition: 'closed round trips', higherIsBetter: null },
  winRatePct: { unit: 'pct', definition: 'share of trades with pnl > 0', higherIsBetter: true },
  winRateLowPct: { unit: 'pct', definition: 'lower bound of the 95 % Wilson interval of the win rate', higherIsBetter: true },
  winRateHighPct: { unit: 'pct', definition: 'upper bound of the 95 % Wilson interval of the win rate', higherIsBetter: true },
  bestTradePct: { unit: 'pct', definition: 'highest trade returnPct', higherIsBetter: true },
  worstTradePct: { unit: 'pct', definition: 'lowest trade returnPct', higherIsBetter: true },
  avgTradePct: { unit: 'pct', definition: 'geometric mean of trade returns', higherIsBetter: true },
  avgTradeDays: { unit: 'days', definition: 'mean time from entry to exit', higherIsBetter: null },
  maxTradeDays: { unit: 'days', definition: 'longest time from entry to exit', higherIsBetter: null },
  avgTradeBars: { unit: 'bars', definition: 'mean bars held', higherIsBetter: null },
  profitFactor: { unit: 'ratio', definition: 'gross profit / gross loss of trade pnl', higherIsBetter: true },
  expectancyPct: { unit: 'pct', definition: 'arithmetic mean trade returnPct', higherIsBetter: true },
  sqn: { unit: 'ratio', definition: 'sqrt(trades) x mean pnl / sample std pnl (system quality number)', higherIsBetter: true },
  kelly: { unit: 'ratio', definition: 'win rate - (1 - win rate) / (mean win / mean loss)', higherIsBetter: true },
  totalFeesCash: { unit: 'cash', definition: 'sum of all fees paid', higherIsBetter: false },
  directionalAccuracyPct: { unit: 'pct', definition: 'share of forecasts whose sign matches the realised return', higherIsBetter: true },
  informationCoefficient: { unit: 'ratio', definition: 'Spearman rank correlation of forecasts and realised returns', higherIsBetter: true },
  forecastRmse: { unit: 'ratio', definition: 'root mean squared error of forecasts vs realised returns (return units)', higherIsBetter: false },
};

/** A statistic reported as null, with the reason (too few periods, no trades, a zero divisor, ...). */
export interface NotMeaningful {
  key: StatKey;
  reason: string;
}

/** Summary of a baseline run through the same engine and costs. */
export interface BaselineSummary {
  returnPct: number;
  cagrPct: number | null;
  sharpe: number | null;
  maxDrawdownPct: number;
  trades: number;
  exposurePct: number;
}

/**
 * Random-signal bootstrap: `draws` runs whose trades have the strategy's sides and holding lengths placed at
 * random non-overlapping positions (same exposure and trade count), through the same engine and costs.
 */
export interface RandomBaseline {
  draws: number;
  seed: number;
  /** Sharpe quantiles of the random runs (null when every draw's Sharpe was not meaningful). */
  sharpeMean: number | null;
  sharpeP05: number | null;
  sharpeP50: number | null;
  sharpeP95: number | null;
  /** Percent of random Sharpes <= the strategy's (0..100). */
  strategySharpePercentile: number | null;
  /** (1 + #random Sharpe >= strategy) / (1 + draws): one-sided p-value of "no better than random". */
  pValue: number | null;
}

/** Baselines reported beside every result. */
export interface Baselines {
  buyAndHold: BaselineSummary;
  /** Null when the bootstrap was disabled, the strategy made no trade, or its Sharpe is not meaningful. */
  random: RandomBaseline | null;
  /** The naive forecast run through the same engine, when the caller provided one. */
  naive: BaselineSummary | null;
}

/** A complete backtest result. Same inputs and seed give a byte-identical JSON serialisation. */
export interface BacktestResult {
  schemaVersion: typeof BACKTEST_SCHEMA_VERSION;
  params: BacktestParams;
  stats: Record<StatKey, number | null>;
  notMeaningful: NotMeaningful[];
  trades: Trade[];
  equity: EquityCurve;
  baselines: Baselines;
  /** What an operator must act on (NaN predictions traded flat, a liquidation): shown even with --quiet. */
  warnings: string[];
  /**
   * Routine facts about the run (the last trade was still open and closed at the final close, entries skipped in
   * the sizing or ATR warm-up): part of the summary and the JSON, never a warning.
   */
  notes: string[];
}
