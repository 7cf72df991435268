import type { SourceRow } from '../../core/bars.js';
import type { Calendar } from '../calendars/calendar.js';
import type { Interval } from '../../core/interval.js';

/** The HTTP function sources use; production passes global `fetch`, tests pass a replayer of recorded responses. */
export type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What a source is asked for. Times are ms since epoch, UTC; `to` is exclusive. */
export interface FetchRequest {
  symbol: string;
  interval: Interval;
  from?: number;
  to?: number;
  signal?: AbortSignal;
  /** The instrument's calendar when known; a simulating source (synthetic) generates on it, others ignore it. */
  calendar?: Calendar;
}

/** Instrument facts a source may report alongside the bars. */
export interface InstrumentMeta {
  currency?: string;
  exchange?: string;
  timezone?: string;
  name?: string;
  kind?: string;
  /** The trading calendar the source says the instrument follows (`crypto`, `fx`, `XNYS`, ...). */
  calendar?: string;
}

/** What a source returns: unvalidated rows (validation and quarantine happen downstream) and optional metadata. */
export interface FetchResult {
  rows: SourceRow[];
  meta?: InstrumentMeta;
  /** Human-readable notes, e.g. the requested range was clipped to the source's history limit. */
  notes?: string[];
}

/** An online or offline provider of OHLCV bars. */
export interface BarSource {
  readonly name: string;
  /** Intervals this source can deliver natively. */
  readonly intervals: readonly Interval[];
  /** The calendar the source's bars follow before any metadata is seen (synthetic: the one it generates on). */
  readonly defaultCalendar?: string;
  /** How far back (ms before now) the source serves this interval, if limited. */
  historyLimitMs(interval: Interval): number | undefined;
  fetch(request: FetchRequest): Promise<FetchResult>;
}
