/**
 * The chart payload of the HTML report: price candles, strategy equity, buy-and-hold equity, drawdown and trade
 * markers as compact columns, downsampled only when the series is long.
 *
 * Downsampling (charts only; every statistic and table in the report comes from the full-resolution result): when
 * a series has more than `maxPoints` bars, consecutive bars are grouped into buckets of `ceil(bars / maxPoints)`.
 * A bucket's candle is the exact OHLC aggregate of its bars (first open, highest high, lowest low, last close), the
 * equity curves take the bucket's last value (marked at the close, like the candle), and the drawdown takes the
 * bucket's *deepest* value so the maximum drawdown is always visible. Trade markers are placed on the bucket that
 * holds their bar. Times are the bucket's first bar open time, in whole UTC seconds (the chart library's unit).
 */
import { InternalError } from '../../core/errors.js';
import type { BarSeries } from '../../core/bars.js';
import type { EquityCurve, Trade } from '../types.js';

/** Default most chart points per series; ~5,000 keeps the page light and the charts fluid. */
export const DEFAULT_MAX_CHART_POINTS = 5000;
/** Most trade markers drawn (entry and exit count one each); later trades are listed but not marked. */
export const MAX_TRADE_MARKERS = 10_000;

/** One trade marker on the price chart. */
export interface ChartMarker {
  /** Bucket time, UTC seconds. */
  time: number;
  kind: 'entry' | 'exit';
  side: 'long' | 'short';
  /** Trade return in percent (exits only; entries carry null). */
  returnPct: number | null;
}

/** Columnar chart series, all of one length (the number of chart points). */
export interface ChartData {
  /** Bars per chart point: 1 when not downsampled. */
  bucketSize: number;
  /** Bars in the full series. */
  sourceBars: number;
  /** Chart point times, UTC seconds, strictly increasing. */
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  /** Strategy equity at the bucket's last close (cash). */
  equity: number[];
  /** Buy-and-hold equity without costs: capital x close / first close (cash). */
  buyAndHold: number[];
  /** Deepest drawdown in the bucket, percent, as a non-positive number (-12.5 = 12.5 % below the peak). */
  drawdownPct: number[];
  markers: ChartMarker[];
  /** Markers left out beyond {@link MAX_TRADE_MARKERS}. */
  markersOmitted: number;
}

/**
 * Build the chart payload from the bars and the result's curves and trades.
 *
 * @param bars the series the backtest ran on (same length and times as `equity`).
 * @param capital starting equity (cash), the buy-and-hold curve's starting value.
 * @param maxPoints most chart points per series (>= 2).
 * @throws InternalError when the bars and the equity curve do not line up (a caller bug).
 */
export function buildChartData(bars: BarSeries, equity: EquityCurve, trades: readonly Trade[], capital: number, maxPoints = DEFAULT_MAX_CHART_POINTS): ChartData {
  const n = bars.length;
  if (equity.time.length !== n || equity.equity.length !== n || equity.drawdownPct.length !== n) {
    throw new InternalError(
      `report: the equity curve (time ${equity.time.length}, equity ${equity.equity.length}, drawdown ${equity.drawdownPct.length} points) does not match the series' ${n} bars`,
    );
  }
  if (n > 0 && (equity.time[0] !== bars.time[0] || equity.time[n - 1] !== bars.time[n - 1])) {
    throw new InternalError('report: the equity curve and the bars cover different times');
  }
  const bucketSize = n <= maxPoints ? 1 : Math.ceil(n / Math.max(2, Math.floor(maxPoints)));
  const points = Math.ceil(n / bucketSize);
  const time = new Float64Array(points);
  const open = new Float64Array(points);
  const high = new Float64Array(points);
  const low = new Float64Array(points);
  const close = new Float64Array(points);
  const eq = new Float64Array(points);
  const bh = new Float64Array(points);
  const dd = new Float64Array(points);
  const firstClose = n > 0 ? bars.close[0] : Number.NaN;
  for (let p = 0; p < points; p++) {
    const start = p * bucketSize;
    const end = Math.min(n, start + bucketSize);
    let hi = -Infinity;
    let lo = Infinity;
    let deepest = 0;
    for (let i = start; i < end; i++) {
      if (bars.high[i] > hi) hi = bars.high[i];
      if (bars.low[i] < lo) lo = bars.low[i];
      if (equity.drawdownPct[i] > deepest) deepest = equity.drawdownPct[i];
    }
    time[p] = Math.floor(bars.time[start] / 1000);
    open[p] = bars.open[start];
    high[p] = hi;
    low[p] = lo;
    close[p] = bars.close[end - 1];
    eq[p] = equity.equity[end - 1];
    bh[p] = (capital * bars.close[end - 1]) / firstClose;
    dd[p] = deepest === 0 ? 0 : -deepest;
  }
  for (let p = 1; p < points; p++) {
    if (!(time[p] > time[p - 1])) throw new InternalError(`report: bar times are not strictly increasing at chart point ${p}`);
  }

  const markers: ChartMarker[] = [];
  let markersOmitted = 0;
  for (const t of trades) {
    const pair: ChartMarker[] = [];
    if (t.entryIndex >= 0 && t.entryIndex < n) pair.push({ time: time[Math.floor(t.entryIndex / bucketSize)], kind: 'entry', side: t.side, returnPct: null });
    if (t.exitIndex >= 0 && t.exitIndex < n) pair.push({ time: time[Math.floor(t.exitIndex / bucketSize)], kind: 'exit', side: t.side, returnPct: t.returnPct });
    if (markers.length + pair.length > MAX_TRADE_MARKERS) markersOmitted += pair.length;
    else markers.push(...pair);
  }
  // The chart library wants markers in time order; a stable sort keeps entry-before-exit within one bucket.
  markers.sort((a, b) => a.time - b.time);

  return {
    bucketSize,
    sourceBars: n,
    time: Array.from(time),
    open: Array.from(open),
    high: Array.from(high),
    low: Array.from(low),
    close: Array.from(close),
    equity: Array.from(eq),
    buyAndHold: Array.from(bh),
    drawdownPct: Array.from(dd),
    markers,
    markersOmitted,
  };
}
