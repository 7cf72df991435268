/**
 * Pure named statistics over per-bar returns, equity curves and trade lists. Each returns `null` where the figure
 * is undefined (a zero divisor, too few values) instead of NaN or Infinity: the caller attaches the reason.
 * Returns are simple per-bar fractions (0.01 = 1 %) unless a name says otherwise.
 */
import { pearson as corePearson, spearman as coreSpearman } from '../../core/stats.js';

/** z of the two-sided 95 % normal interval. */
export const Z_95 = 1.959963984540054;

/** Simple per-bar returns of an equity curve: r_t = E_t / E_(t-1) - 1, t = 1..n-1 (length n - 1, or 0). */
export function perBarReturns(equity: Float64Array): Float64Array {
  const n = equity.length;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let t = 1; t < n; t++) out[t - 1] = equity[t] / equity[t - 1] - 1;
  return out;
}

/** Arithmetic mean (null for no values). */
export function mean(x: ArrayLike<number>): number | null {
  const n = x.length;
  if (n === 0) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/** Sample standard deviation, ddof 1 (null for fewer than 2 values). Two-pass for accuracy. */
export function sampleStd(x: ArrayLike<number>): number | null {
  const n = x.length;
  if (n < 2) return null;
  const m = mean(x) as number;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/**
 * Geometric mean return: exp(mean(ln(1 + r))) - 1. As backtesting.py: 0 when any 1 + r <= 0 (a total loss makes
 * the compounded mean meaningless); null for no values.
 */
export function geometricMean(returns: ArrayLike<number>): number | null {
  const n = returns.length;
  if (n === 0) return null;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const g = 1 + returns[i];
    if (!(g > 0)) return 0;
    s += Math.log(g);
  }
  return Math.exp(s / n) - 1;
}

/** Per-bar risk-free return from an annual rate in percent: (1 + rf)^(1/periodsPerYear) - 1. */
export function riskFreePerBar(riskFreePct: number, periodsPerYear: number): number {
  return riskFreePct === 0 ? 0 : Math.pow(1 + riskFreePct / 100, 1 / periodsPerYear) - 1;
}

/** Annualised return in percent from per-bar returns: ((1 + geometric mean)^periodsPerYear - 1) x 100. */
export function annualReturnPct(returns: ArrayLike<number>, periodsPerYear: number): number | null {
  const g = geometricMean(returns);
  return g === null ? null : (Math.pow(1 + g, periodsPerYear) - 1) * 100;
}

/** Annualised volatility in percent: sample std of per-bar returns x sqrt(periodsPerYear) x 100. */
export function annualVolatilityPct(returns: ArrayLike<number>, periodsPerYear: number): number | null {
  const sd = sampleStd(returns);
  return sd === null ? null : sd * Math.sqrt(periodsPerYear) * 100;
}

/**
 * Annualised Sharpe ratio: (mean(r) - rfPerBar) / std(r, ddof 1) x sqrt(periodsPerYear).
 * Null for fewer than 2 returns or zero volatility.
 */
export function sharpe(returns: ArrayLike<number>, periodsPerYear: number, rfPerBar = 0): number | null {
  const sd = sampleStd(returns);
  if (sd === null || !(sd > 0)) return null;
  return (((mean(returns) as number) - rfPerBar) / sd) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sortino ratio: (mean(r) - rfPerBar) / downside deviation x sqrt(periodsPerYear), where the downside
 * deviation is sqrt(mean(min(r - rfPerBar, 0)^2)) over all returns. Null without returns or without a loss.
 */
export function sortino(returns: ArrayLike<number>, periodsPerYear: number, rfPerBar = 0): number | null {
  const n = returns.length;
  if (n === 0) return null;
  let down = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = returns[i] - rfPerBar;
    sum += e;
    if (e < 0) down += e * e;
  }
  if (!(down > 0)) return null;
  return (sum / n / Math.sqrt(down / n)) * Math.sqrt(periodsPerYear);
}

/** Omega ratio at threshold 0: sum of positive returns / sum of |negative returns|. Null without a loss. */
export function omega(returns: ArrayLike<number>): number | null {
  let up = 0;
  let down = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (r > 0) up += r;
    else down -= r;
  }
  return down > 0 ? up / down : null;
}

/**
 * Compound annual growth rate in percent: ((end / start)^(1 / years) - 1) x 100, years in calendar time.
 * Null for years <= 0 or a non-positive start; -100 when the end is not positive.
 */
export function cagrPct(start: number, end: number, years: number): number | null {
  if (!(years > 0) || !(start > 0)) return null;
  if (!(end > 0)) return -100;
  return (Math.pow(end / start, 1 / years) - 1) * 100;
}

/** Calmar ratio: annual return % / max drawdown % (both positive depths). Null for no drawdown. */
export function calmar(annualReturn: number, maxDrawdown: number): number | null {
  return maxDrawdown > 0 ? annualReturn / maxDrawdown : null;
}

/**
 * Beta of a strategy against the market: cov(a, b) / var(b) of the two log-return series (same length).
 * Null for fewer than 2 values or a constant market.
 */
export function beta(strategyLogReturns: ArrayLike<number>, marketLogReturns: ArrayLike<number>): number | null {
  const n = Math.min(strategyLogReturns.length, marketLogReturns.length);
  if (n < 2) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += strategyLogReturns[i];
    mb += marketLogReturns[i];
  }
  ma /= n;
  mb /= n;
  let cov = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const db = marketLogReturns[i] - mb;
    cov += (strategyLogReturns[i] - ma) * db;
    vb += db * db;
  }
  return vb > 0 ? cov / vb : null;
}

/** Log returns ln(x_t / x_(t-1)) of a positive series (length n - 1). */
export function logReturns(x: Float64Array): Float64Array {
  const out = new Float64Array(Math.max(0, x.length - 1));
  for (let t = 1; t < x.length; t++) out[t - 1] = Math.log(x[t] / x[t - 1]);
  return out;
}

/**
 * Wilson score interval of a proportion (k successes in n trials) at normal quantile z (default 95 %).
 * Returns [low, high] as fractions, or null for n = 0.
 */
export function wilsonInterval(k: number, n: number, z = Z_95): [number, number] | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Profit factor: gross profit / gross loss of trade pnl. Null without a losing trade. */
export function profitFactor(pnl: ArrayLike<number>): number | null {
  let win = 0;
  let loss = 0;
  for (let i = 0; i < pnl.length; i++) {
    if (pnl[i] > 0) win += pnl[i];
    else loss -= pnl[i];
  }
  return loss > 0 ? win / loss : null;
}

/** Van Tharp's system quality number: sqrt(n) x mean(pnl) / std(pnl, ddof 1). Null for n < 2 or zero spread. */
export function sqn(pnl: ArrayLike<number>): number | null {
  const sd = sampleStd(pnl);
  if (sd === null || !(sd > 0)) return null;
  return (Math.sqrt(pnl.length) * (mean(pnl) as number)) / sd;
}

/**
 * Kelly criterion from trade pnl: W - (1 - W) / R with W the win rate (pnl > 0) and R = mean win / mean |loss|.
 * Null without both a winning and a losing trade.
 */
export function kelly(pnl: ArrayLike<number>): number | null {
  let wins = 0;
  let losses = 0;
  let winSum = 0;
  let lossSum = 0;
  for (let i = 0; i < pnl.length; i++) {
    if (pnl[i] > 0) {
      wins++;
      winSum += pnl[i];
    } else if (pnl[i] < 0) {
      losses++;
      lossSum -= pnl[i];
    }
  }
  if (wins === 0 || losses === 0) return null;
  const w = wins / pnl.length;
  return w - (1 - w) / (winSum / wins / (lossSum / losses));
}

export { averageRanks } from '../../core/stats.js';

/** Pearson correlation (null for n < 2 or a constant series). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const r = corePearson(a, b);
  return Number.isNaN(r) ? null : r;
}

/** Spearman rank correlation: Pearson correlation of average ranks (null for n < 2 or a constant series). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const r = coreSpearman(a, b);
  return Number.isNaN(r) ? null : r;
}
