/**
 * The synthetic market: a seeded simulator of realistic OHLCV bars, the embedded default for `pulse demo` and
 * for tests. Deterministic in (seed, symbol, interval): the same bar comes back at the same timestamp whatever
 * window is requested, so incremental collects continue one path.
 *
 * The model, per trading bar of the calendar it is given (default `crypto`, 24/7; see calendars/): on an exchange
 * calendar (`XNYS`, ...) bars follow its sessions, holidays and early closes and the series behaves like an
 * equity; on `crypto`, `fx` and `none` like a 24/7 coin:
 * - a two-state Markov volatility regime (calm / turbulent) whose mean durations are calendar days, so
 *   volatility clusters at every interval;
 * - fat-tailed returns: unit-variance Student-t with 6 degrees of freedom (excess kurtosis 3), plus rare
 *   Gaussian jumps (2-6 a year, size 2.5 daily standard deviations);
 * - intraday seasonality: for equities a U-shaped volatility and volume profile over the session, for crypto
 *   a daily cycle peaking at 15:00 UTC; volume also rises with the regime and with the bar's absolute return;
 * - equities open each session with an overnight gap from the previous close (every daily bar, and the first
 *   intraday bar of a day); crypto bars open at the previous close;
 * - consistent OHLC by construction: high = max(open, close)·e^a and low = min(open, close)·e^-b with a, b >= 0.
 *
 * Per-symbol parameters (start price, drift, volatility, volume level, regime durations) come from
 * (seed, symbol) alone; each interval simulates its own path from its anchor ({@link SYNTHETIC_ANCHORS}).
 */
import type { SourceRow } from '../../core/bars.js';
import { allocSeries, type BarSeries } from '../../core/bars.js';
import type { Calendar } from '../calendars/calendar.js';
import { builtInCalendar } from '../calendars/registry.js';
import { INTERVAL_MS, INTERVALS, type Interval } from '../../core/interval.js';
import type { BarSource, FetchRequest, FetchResult } from './source.js';
import { DEFAULT_SEED, mix32, Rng } from '../../core/rng.js';
import { UsageError } from '../../core/errors.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * Where each interval's synthetic path begins (ms, UTC): bars exist from the first trading bar at or after the
 * anchor. Daily and coarser start in 2000; finer intervals start later so that a 1-minute path up to today stays
 * cheap to regenerate (about a million bars by the end of 2026).
 */
export const SYNTHETIC_ANCHORS: Readonly<Record<Interval, number>> = {
  '1m': Date.UTC(2025, 0, 1),
  '5m': Date.UTC(2023, 0, 1),
  '15m': Date.UTC(2020, 0, 1),
  '30m': Date.UTC(2020, 0, 1),
  '1h': Date.UTC(2015, 0, 1),
  '4h': Date.UTC(2015, 0, 1),
  '1d': Date.UTC(2000, 0, 1),
  '1wk': Date.UTC(2000, 0, 3),
  '1mo': Date.UTC(2000, 0, 1),
};

/**
 * The window served when a request gives no `from` (ms before now): 1m 7 days; 5m-30m 60 days; 1h and 4h
 * 2 years; 1d 10 years; 1wk and 1mo 25 years (clipped to the anchor).
 */
export const SYNTHETIC_DEFAULT_WINDOW_MS: Readonly<Record<Interval, number>> = {
  '1m': 7 * DAY,
  '5m': 60 * DAY,
  '15m': 60 * DAY,
  '30m': 60 * DAY,
  '1h': 730 * DAY,
  '4h': 730 * DAY,
  '1d': 3653 * DAY,
  '1wk': 9131 * DAY,
  '1mo': 9131 * DAY,
};

/** The simulation parameters of one symbol, derived from (seed, symbol) by {@link syntheticParams}. */
export interface SyntheticParams {
  /** The calendar the parameters were drawn for. */
  calendar: string;
  /** Equity-like (an exchange calendar: overnight gaps, a U-shaped session profile) or crypto-like. */
  style: 'equity' | 'crypto';
  /** Price at the anchor of every interval's path, in quote currency (> 0). */
  initialPrice: number;
  /** Expected log return per year (e.g. 0.08 = 8 %/yr). */
  annualDrift: number;
  /** Long-run annualised volatility of log returns (e.g. 0.3 = 30 %/yr). */
  annualVol: number;
  /** Average volume per trading day, in units (shares or coins). */
  dailyVolume: number;
  /** Mean duration of the calm regime, in calendar days. */
  calmDays: number;
  /** Mean duration of the turbulent regime, in calendar days. */
  turbulentDays: number;
  /** Volatility of the turbulent regime relative to the calm one (> 1). */
  turbulentRatio: number;
  /** Expected jumps per year. */
  jumpsPerYear: number;
}

/** FNV-1a hash of a string to 32 bits (symbol names to seeds). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Draw one symbol's parameters; deterministic in (seed, symbol, calendar style), independent of the interval.
 * Exchange calendars give equity-like parameters, the others crypto-like ones.
 */
export function syntheticParams(symbol: string, seed: number, calendar: Calendar = builtInCalendar('crypto')): SyntheticParams {
  const rng = new Rng(mix32(seed, hashString(symbol.trim().toUpperCase())));
  const logUniform = (lo: number, hi: number): number => Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
  const crypto = calendar.utcGrid;
  return {
    calendar: calendar.name,
    style: crypto ? 'crypto' : 'equity',
    initialPrice: crypto ? logUniform(0.5, 30_000) : logUniform(10, 400),
    annualDrift: crypto ? rng.uniform(-0.05, 0.4) : rng.uniform(0, 0.12),
    annualVol: crypto ? rng.uniform(0.5, 1.0) : rng.uniform(0.15, 0.45),
    dailyVolume: crypto ? logUniform(1e3, 1e6) : logUniform(5e5, 3e7),
    calmDays: rng.uniform(60, 180),
    turbulentDays: rng.uniform(10, 35),
    turbulentRatio: rng.uniform(2, 3),
    jumpsPerYear: rng.uniform(2, 6),
  };
}

/** What {@link generateSeries} simulates. */
export interface GenerateSeriesOptions {
  symbol: string;
  interval: Interval;
  /** Number of bars to produce (>= 0). */
  bars: number;
  /** Seed (0 ..= 2^32 - 1); defaults to DEFAULT_SEED. */
  seed?: number;
  /** The first bar is the first trading bar opening at or after this time (ms, UTC). */
  start: number;
  /** The calendar to generate on (default `crypto`). */
  calendar?: Calendar;
}

/**
 * Simulate `bars` consecutive trading bars of one symbol as a columnar series: the fast pure generator behind
 * the synthetic source (about 10 uniform draws per bar; a million bars take a fraction of a second).
 * Deterministic in (seed, symbol, interval, start calendar ordinal).
 * @throws UsageError when `bars` is not a non-negative integer.
 */
export function generateSeries(options: GenerateSeriesOptions): BarSeries {
  const { symbol, interval, bars } = options;
  if (!Number.isInteger(bars) || bars < 0) {
    throw new UsageError(`bar count must be a non-negative integer, got ${bars}`, 'pass a whole number of bars');
  }
  const seed = options.seed ?? DEFAULT_SEED;
  const calendar = options.calendar ?? builtInCalendar('crypto');
  const p = syntheticParams(symbol, seed, calendar);
  const out = allocSeries(symbol, interval, bars);
  if (bars === 0) return out;
  const time = out.time;
  calendar.fillTradingBars(calendar.tradingOrdinal(options.start, interval), bars, interval, time);

  const rng = new Rng(mix32(mix32(seed, hashString(symbol.trim().toUpperCase())), INTERVALS.indexOf(interval) + 1));
  const intraday = INTERVAL_MS[interval] < DAY;
  const equities = p.style === 'equity';
  // `none` has no annualisation: simulate it as 24/7.
  const perYear = calendar.periodsPerYear(interval) ?? builtInCalendar('crypto').periodsPerYear(interval) ?? 365;
  const tradingDaysPerYear = equities ? (calendar.periodsPerYear('1d') ?? 252) : 365.25;
  const barMinutes = INTERVAL_MS[interval] / MINUTE;
  // The session holding the current bar (equities intraday), for the U-shaped profile.
  let sessionOpen = NaN;
  let sessionClose = NaN;

  // Regime switching in calendar time: per-bar switch probabilities from mean durations.
  const barDays = 365.25 / perYear;
  const pCalmToTurb = 1 - Math.exp(-barDays / p.calmDays);
  const pTurbToCalm = 1 - Math.exp(-barDays / p.turbulentDays);
  const piTurb = p.calmDays > 0 ? p.turbulentDays / (p.calmDays + p.turbulentDays) : 0;
  // Scale the calm volatility so that the long-run variance matches annualVol.
  const calmScale = 1 / Math.sqrt(1 - piTurb + piTurb * p.turbulentRatio * p.turbulentRatio);
  const sigmaBar = p.annualVol / Math.sqrt(perYear);
  const sigmaDay = p.annualVol / Math.sqrt(tradingDaysPerYear);
  // Equities: part of each day's variance arrives overnight (gap between sessions).
  const overnightShare = equities ? 0.2 : 0;
  const sigmaIntra = sigmaBar * Math.sqrt(1 - (intraday ? 0 : overnightShare));
  const sigmaGap = sigmaDay * Math.sqrt(overnightShare);
  const driftBar = p.annualDrift / perYear;
  const pJump = Math.min(0.5, p.jumpsPerYear / perYear);
  const jumpSd = 2.5 * sigmaDay;
  const barsPerDay = perYear / tradingDaysPerYear;
  const volumePerBar = p.dailyVolume / barsPerDay;
  const tScale = Math.sqrt(4 / 6); // unit variance for Student-t(6)

  let turbulent = rng.next() < piTurb;
  let prevClose = p.initialPrice;
  let prevTs = time[0] - INTERVAL_MS[interval];
  const { open, high, low, close, volume } = out;
  for (let i = 0; i < bars; i++) {
    const ts = time[i];
    if (turbulent ? rng.next() < pTurbToCalm : rng.next() < pCalmToTurb) turbulent = !turbulent;
    const regime = (turbulent ? p.turbulentRatio : 1) * calmScale;

    let volSeason = 1;
    let volumeSeason = 1;
    if (intraday) {
      const minuteOfDay = (ts - Math.floor(ts / DAY) * DAY) / MINUTE;
      if (equities) {
        if (!(ts >= sessionOpen && ts < sessionClose)) {
          const day = calendar.floor(ts, '1d');
          sessionOpen = calendar.barOpenTime(day, '1d');
          sessionClose = calendar.barCloseTime(day, '1d');
        }
        const end = Math.min(ts + barMinutes * MINUTE, sessionClose);
        const u = (ts + end - 2 * sessionOpen) / (sessionClose - sessionOpen) - 1;
        volSeason = 0.75 + 0.75 * u * u;
        volumeSeason = (0.6 + 1.8 * u * u) / 1.2;
      } else {
        const c = Math.cos((2 * Math.PI * (minuteOfDay + barMinutes / 2 - 900)) / 1440);
        volSeason = 1 + 0.25 * c;
        volumeSeason = 1 + 0.5 * c;
      }
    }
    const sigma = sigmaIntra * regime * volSeason;

    // Overnight gap: every daily equities bar, and the first intraday bar after a session break.
    let openPrice = prevClose;
    if (equities && (!intraday || ts - prevTs > INTERVAL_MS[interval])) {
      openPrice = prevClose * Math.exp(sigmaGap * regime * rng.normal());
    }
    // Student-t(6): normal over sqrt(chi-square(6)/6), chi-square(6) = -2 ln(u1 u2 u3).
    const chi2 = -2 * Math.log((1 - rng.next()) * (1 - rng.next()) * (1 - rng.next()));
    let r = driftBar + sigma * tScale * (rng.normal() / Math.sqrt(chi2 / 6));
    if (rng.next() < pJump) r += jumpSd * rng.normal();
    const closePrice = openPrice * Math.exp(r);

    const hiBase = openPrice > closePrice ? openPrice : closePrice;
    const loBase = openPrice < closePrice ? openPrice : closePrice;
    const excursion = 0.5 * sigma;
    open[i] = openPrice;
    close[i] = closePrice;
    high[i] = hiBase * Math.exp(excursion * Math.abs(rng.normal()));
    low[i] = loBase * Math.exp(-excursion * Math.abs(rng.normal()));

    const shock = Math.min(4, Math.abs(r) / (sigma > 0 ? sigma : 1));
    const v = volumePerBar * volumeSeason * (turbulent ? 1.6 : 1) * (0.6 + 0.4 * shock) * Math.exp(0.35 * rng.normal() - 0.06);
    volume[i] = equities ? Math.round(v) : v;

    prevClose = closePrice;
    prevTs = ts;
  }
  return out;
}

/** Options of {@link SyntheticSource}. */
export interface SyntheticSourceOptions {
  /** Simulation seed (default DEFAULT_SEED). */
  seed?: number;
  /** The clock (ms since epoch); bars are served only once complete (bar end <= now). Default Date.now. */
  now?: () => number;
}

/** The calendar the synthetic source generates on when the request names none. */
export const SYNTHETIC_DEFAULT_CALENDAR = 'crypto';

/** What the instrument metadata calls a calendar's kind of market. */
function kindOf(calendar: Calendar): string {
  return calendar.name === 'fx' ? 'fx' : calendar.utcGrid ? 'crypto' : 'equity';
}

function formatRaw(ts: number, o: number, h: number, l: number, c: number, v: number): string {
  return `${new Date(ts).toISOString()},${o},${h},${l},${c},${v}`;
}

/**
 * The synthetic source: serves slices of each (symbol, interval) path on the request's calendar (default
 * {@link SYNTHETIC_DEFAULT_CALENDAR}), which it reports in the metadata. A request [from, to) returns the
 * completed bars (closed by now) opening in the window, clipped to the path's anchor; `from` defaults to
 * now minus {@link SYNTHETIC_DEFAULT_WINDOW_MS}. Rows carry `raw` as a CSV line `iso,open,high,low,close,volume`.
 */
export class SyntheticSource implements BarSource {
  readonly name = 'synthetic';
  readonly intervals: readonly Interval[] = INTERVALS;
  readonly defaultCalendar = SYNTHETIC_DEFAULT_CALENDAR;
  private readonly seed: number;
  private readonly now: () => number;

  constructor(options: SyntheticSourceOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SEED;
    this.now = options.now ?? Date.now;
  }

  /** History reaches back to the interval's anchor. */
  historyLimitMs(interval: Interval): number | undefined {
    return Math.max(0, this.now() - SYNTHETIC_ANCHORS[interval]);
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    return this.fetchSync(request);
  }

  /** The synchronous body of {@link fetch} (the simulator does no I/O). */
  fetchSync(request: FetchRequest): FetchResult {
    const { symbol, interval } = request;
    const now = this.now();
    const calendar = request.calendar ?? builtInCalendar(SYNTHETIC_DEFAULT_CALENDAR);
    const anchor = SYNTHETIC_ANCHORS[interval];
    const notes: string[] = [];
    const from = request.from ?? now - SYNTHETIC_DEFAULT_WINDOW_MS[interval];
    if (from < anchor) {
      notes.push(`synthetic ${interval} history starts at ${new Date(anchor).toISOString()}; earlier bars do not exist`);
    }
    const anchorOrd = calendar.tradingOrdinal(anchor, interval);
    // Bars are served once closed: up to the newest closed trading bar.
    const lastClosed = calendar.lastClosedBar(now, interval) ?? calendar.floor(now, interval) - 1;
    const completeEnd = lastClosed + 1;
    const end = request.to === undefined ? completeEnd : Math.min(request.to, completeEnd);
    const i0 = Math.max(0, calendar.tradingOrdinal(Math.max(from, anchor), interval) - anchorOrd);
    const i1 = Math.max(0, calendar.tradingOrdinal(end, interval) - anchorOrd);
    const meta = {
      currency: 'USD',
      exchange: 'SYNTHETIC',
      timezone: calendar.timezone,
      kind: kindOf(calendar),
      name: `synthetic ${symbol}`,
      calendar: calendar.name,
    };
    if (i1 <= i0) return { rows: [], meta, notes };
    const s = generateSeries({ symbol, interval, bars: i1, seed: this.seed, start: anchor, calendar });
    const rows: SourceRow[] = new Array(i1 - i0);
    for (let i = i0; i < i1; i++) {
      const ts = s.time[i];
      rows[i - i0] = {
        ts,
        open: s.open[i],
        high: s.high[i],
        low: s.low[i],
        close: s.close[i],
        volume: s.volume[i],
        adjClose: null,
        raw: formatRaw(ts, s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i]),
      };
    }
    return { rows, meta, notes };
  }
}
