/**
 * `pulse collect`: fetch bars from a source (or a failover list of sources), validate them, quarantine what fails,
 * upsert the rest idempotently (one transaction per symbol batch), report gaps, and resample into coarser intervals.
 * Every run is audited in `collect_runs`.
 */
import { InterruptedError, PulseError, UsageError, toError } from '../core/errors.js';
import { abortable, mapSettled } from '../core/async.js';
import type { Logger } from '../core/logger.js';
import { isProcessAlive } from '../core/process.js';
import type { Store } from '../store/store.js';
import { barsBefore, barsToColumns, countBars, lastBarTime, loadSeries, loadTimes, upsertBars, upsertColumns, type BarColumns, type UpsertCounts } from '../store/bars-repo.js';
import { failOrphanedRuns, finishRun, quarantineRows, startRun, type RunCounts, type RunStatus } from '../store/collect-repo.js';
import { instrumentCalendar, upsertExternalSeries, upsertInstrument } from '../store/instruments-repo.js';
import { storeBreakers } from '../store/sources-repo.js';
import type { Bar } from './bars.js';
import type { Calendar } from './calendars/calendar.js';
import { resolveCalendar, storedCalendar, storeHome, type ResolvedCalendar } from './calendars/resolve.js';
import { findGaps, type Gap } from './gaps.js';
import { canResample, INTERVAL_MS, INTERVALS, type Interval } from './interval.js';
import { resampleBars } from './resample.js';
import { readCsvColumns, readCsvSeries, type CsvInput } from './sources/csv.js';
import { fetchWithFailover } from './sources/failover.js';
import type { Sleep } from './sources/http.js';
import { createSource, isSourceName, SOURCE_NAMES, type SourceName } from './sources/registry.js';
import type { BarSource, HttpFetch, InstrumentMeta } from './sources/source.js';
import { validateColumns, validateRows, type RejectedRow } from './validate.js';

/** What to collect. Times are ms since epoch (UTC). */
export interface CollectRequest {
  symbols: string[];
  /** Source names in failover order; `csv` alone for file imports. */
  sources: string[];
  interval: Interval;
  from?: number;
  to?: number;
  /** CSV input (a path, "-" resolved by the caller to a stream, or text). */
  csv?: CsvInput;
  /** With csv: import an external series of this name instead of bars. */
  series?: string;
  timeColumn?: string;
  tz?: string;
  /** Coarser intervals to build from the collected bars. */
  resample: Interval[];
  /** The instruments' trading calendar (`--calendar`); replaces the stored one (see calendars/resolve.ts). */
  calendar?: string;
  acceptOutliers: boolean;
  seed: number;
}

/** Settings and services the run uses. */
export interface CollectDeps {
  store: Store;
  settings: {
    concurrency: number;
    timeoutMs: number;
    retries: number;
    overlapBars: number;
    outlierZ: number;
    breakerFailures: number;
    breakerCooldownMinutes: number;
  };
  now: () => number;
  log: Logger;
  signal?: AbortSignal;
  /** HTTP for online sources (global fetch in production; recorded responses in tests). */
  fetch?: HttpFetch;
  sleep?: Sleep;
}

/** Resampling outcome for one target interval. */
export interface ResampleOutcome extends UpsertCounts {
  interval: Interval;
  buckets: number;
  /** The last bucket was still open (not all of its bars can exist yet), so it was not written. */
  incompleteDropped: boolean;
  /** The series starts inside its first bucket, which was therefore partial and not written. */
  leadingPartialDropped: boolean;
}

/** Outcome for one symbol. */
export interface SymbolOutcome {
  symbol: string;
  status: 'ok' | 'failed';
  /** The source that delivered the bars. */
  source: string | null;
  /** The calendar gaps, alignment and resampling were judged on (null when the symbol failed). */
  calendar: string | null;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  quarantineReasons: Record<string, number>;
  /** Rows that arrived out of order (sorted, not rejected). */
  wasUnsorted: boolean;
  first: number | null;
  last: number | null;
  gaps: Gap[];
  resampled: ResampleOutcome[];
  notes: string[];
  error: string | null;
}

/** Outcome of an external-series import. */
export interface SeriesOutcome extends UpsertCounts {
  name: string;
  fetched: number;
  quarantined: number;
  first: number | null;
  last: number | null;
}

export interface CollectResult {
  runId: number;
  status: RunStatus;
  source: string;
  interval: Interval;
  totals: RunCounts;
  symbols: SymbolOutcome[];
  series: SeriesOutcome | null;
  durationMs: number;
}

/** History bars given to validation so a small incremental batch is judged against the stored series. */
const HISTORY_BARS = 100;

/**
 * Run one collect. Per-symbol failures are reported in the result (status `partial` or `failed`), never thrown;
 * a bad request (unknown source, CSV without a time column) throws before anything is written.
 */
export async function collect(request: CollectRequest, deps: CollectDeps): Promise<CollectResult> {
  checkRequest(request);
  const { store, now } = deps;
  const online = request.sources.includes('csv')
    ? []
    : await Promise.all(
        request.sources.map((name) =>
          createSource(name as SourceName, { fetch: deps.fetch, seed: request.seed, now, sleep: deps.sleep, timeoutMs: deps.settings.timeoutMs, retries: deps.settings.retries }),
        ),
      );
  const plan = planRequest(request, online);
  failOrphanedRuns(store, isProcessAlive, now());
  const startedAt = now();
  const runId = startRun(store, { source: request.sources.join(','), interval: request.interval, symbols: request.symbols, pid: process.pid, now: startedAt });
  const outcomes: SymbolOutcome[] = [];
  let series: SeriesOutcome | null = null;
  let status: RunStatus = 'ok';
  let error: string | null = null;
  try {
    if (request.series !== undefined) {
      series = await importSeries(request, deps, runId);
    } else if (plan.csv) {
      outcomes.push(await collectCsv(request, plan, deps, runId));
    } else {
      const limit = online.some((s) => s.name !== 'synthetic') ? deps.settings.concurrency : 1;
      const settled = await mapSettled(request.symbols, limit, (symbol) => collectSymbol(symbol, online, plan, request, deps, runId));
      settled.forEach((s, i) => outcomes.push(s.status === 'fulfilled' ? s.value : failedOutcome(request.symbols[i], s.reason)));
    }
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (deps.signal?.aborted) status = 'interrupted';
    else if (failed.length > 0) status = failed.length === outcomes.length ? 'failed' : 'partial';
    if (failed.length > 0) error = failed.map((o) => `${o.symbol}: ${o.error}`).join('; ');
  } catch (err) {
    status = err instanceof InterruptedError || deps.signal?.aborted ? 'interrupted' : 'failed';
    finishRun(store, runId, { status, counts: totalsOf(outcomes, series), error: toError(err).message, details: { symbols: outcomes }, now: now(), startedAt });
    throw err;
  }
  const finishedAt = now();
  const totals = totalsOf(outcomes, series);
  finishRun(store, runId, { status, counts: totals, error, details: { symbols: outcomes, series }, now: finishedAt, startedAt });
  return { runId, status, source: request.sources.join(','), interval: request.interval, totals, symbols: outcomes, series, durationMs: finishedAt - startedAt };
}

interface Plan {
  csv: boolean;
  /** The interval actually fetched (a native finer one when the source lacks the requested interval). */
  fetchInterval: Interval;
  resample: Interval[];
}

/** Refuse a malformed request before anything is fetched or written. */
function checkRequest(request: CollectRequest): void {
  if (request.sources.length === 0) throw new UsageError('no source given', `use --source with one of: ${SOURCE_NAMES.join(', ')}, csv`);
  for (const name of request.sources) {
    if (name !== 'csv' && !isSourceName(name)) {
      throw new UsageError(`unknown source "${name}"`, `use one of: ${[...SOURCE_NAMES, 'csv'].join(', ')}; a comma list fails over in order`);
    }
  }
  const csv = request.sources.includes('csv');
  if (csv && request.sources.length > 1) throw new UsageError('--source csv cannot be combined with other sources', 'import the file in its own collect run');
  if (csv && request.csv === undefined) throw new UsageError('--source csv needs --file PATH (or --file - for stdin)');
  if (!csv && request.csv !== undefined) throw new UsageError('--file is only used with --source csv');
  if (request.series !== undefined) {
    if (!csv) throw new UsageError('--series imports a CSV: use it with --source csv --file PATH');
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(request.series)) throw new UsageError(`series name "${request.series}" is not valid`, 'use letters, digits and _ . : - (up to 64)');
  } else if (csv && request.symbols.length !== 1) {
    throw new UsageError(`--source csv imports one symbol, got ${request.symbols.length}`, 'name the symbol the file holds: pulse collect SYMBOL --source csv --file PATH');
  } else if (!csv && request.symbols.length === 0) {
    throw new UsageError('no symbols given', 'name one or more symbols, e.g. pulse collect AAPL MSFT --source yahoo');
  }
  for (const s of request.symbols) {
    if (!/^[A-Za-z0-9^=._:/-]{1,32}$/.test(s)) throw new UsageError(`symbol "${s}" is not valid`, 'symbols are 1-32 characters: letters, digits and ^ = . _ : / -');
  }
  if (request.from !== undefined && request.to !== undefined && request.from >= request.to) {
    throw new UsageError('--from must be before --to');
  }
}

/** Decide what to fetch: the interval itself, or a finer native one plus resampling. */
function planRequest(request: CollectRequest, sources: readonly BarSource[]): Plan {
  const csv = request.sources.includes('csv');
  let fetchInterval = request.interval;
  const resample = [...new Set(request.resample)];
  for (const target of resample) {
    if (!canResample(request.interval, target)) {
      throw new UsageError(`cannot resample ${request.interval} bars into ${target}`, 'resample targets must be coarser intervals that whole buckets of the collected interval fill');
    }
  }
  if (sources.length > 0) {
    // A source without the requested interval (Yahoo has no 4h) is asked for the coarsest native interval that
    // divides it; the requested interval is then built by resampling.
    const native = (iv: Interval) => sources.some((s) => s.intervals.includes(iv));
    if (!native(request.interval)) {
      const finer = [...INTERVALS].reverse().find((iv) => native(iv) && canResample(iv, request.interval));
      if (!finer) throw new UsageError(`no source given serves ${request.interval} bars`, 'choose another interval or source');
      fetchInterval = finer;
      resample.unshift(request.interval);
    }
  }
  return { csv, fetchInterval, resample };
}

async function collectSymbol(symbol: string, sources: BarSource[], plan: Plan, request: CollectRequest, deps: CollectDeps, runId: number): Promise<SymbolOutcome> {
  if (deps.signal?.aborted) throw new InterruptedError();
  const { store, settings } = deps;
  const interval = plan.fetchInterval;
  const notes: string[] = [];
  let from = request.from;
  if (from === undefined) {
    const last = lastBarTime(store, symbol, interval);
    if (last !== undefined) {
      from = last - settings.overlapBars * INTERVAL_MS[interval];
      notes.push(`incremental from ${new Date(last).toISOString()} with ${settings.overlapBars} bars of overlap`);
    }
  }
  // A calendar known before the fetch (given or stored) is passed on: the synthetic source generates on it.
  const known = request.calendar ?? instrumentCalendar(store, symbol) ?? undefined;
  const { result, sourceUsed, attempts } = await fetchWithFailover(
    sources,
    storeBreakers(store, deps.now),
    { symbol, interval, from, to: request.to, signal: deps.signal, calendar: known === undefined ? undefined : calendarOf(request, deps, symbol).calendar },
    { now: deps.now, breaker: { failureThreshold: settings.breakerFailures, cooldownMs: Math.max(1, settings.breakerCooldownMinutes * 60_000) } },
  );
  for (const a of attempts) {
    if (a.outcome === 'failed') notes.push(`${a.source} failed: ${a.error.message}`);
    else if (a.outcome === 'skipped-open') notes.push(`${a.source} skipped: circuit breaker open until ${new Date(a.openUntil).toISOString()}`);
  }
  notes.push(...(result.notes ?? []));
  const now = deps.now();
  const firstTs = result.rows.reduce((m, r) => (Number.isFinite(r.ts) && r.ts < m ? r.ts : m), Infinity);
  const reported = result.meta?.calendar ?? sources.find((s) => s.name === sourceUsed)?.defaultCalendar;
  const calendar = calendarOf(request, deps, symbol, reported);
  const checked = validateRows(result.rows, { ...validation(request, deps, interval, now, calendar.calendar), history: history(deps.store, symbol, interval, firstTs) });
  const batch = { columns: barsToColumns(checked.bars), rejected: checked.rejected, wasUnsorted: checked.wasUnsorted, fetched: result.rows.length, meta: result.meta };
  return ingest(symbol, interval, sourceUsed, batch, plan, deps, runId, notes, now, calendar);
}

/** CSV files can hold millions of rows: they are parsed, validated and stored as columns, never as row objects. */
async function collectCsv(request: CollectRequest, plan: Plan, deps: CollectDeps, runId: number): Promise<SymbolOutcome> {
  const symbol = request.symbols[0];
  const interval = plan.fetchInterval;
  const cols = await abortable(readCsvColumns(request.csv as CsvInput, { interval, timeColumn: request.timeColumn, tz: request.tz }), deps.signal);
  const now = deps.now();
  let firstTs = Infinity;
  for (let i = 0; i < cols.length; i++) if (cols.time[i] < firstTs) firstTs = cols.time[i];
  const calendar = calendarOf(request, deps, symbol);
  const checked = validateColumns(cols, { ...validation(request, deps, interval, now, calendar.calendar), history: history(deps.store, symbol, interval, firstTs), symbol });
  const batch = { columns: { ...checked.series, adjClose: checked.adjClose }, rejected: checked.rejected, wasUnsorted: checked.wasUnsorted, fetched: cols.length };
  return ingest(symbol, interval, 'csv', batch, plan, deps, runId, [...cols.notes], now, calendar);
}

/** The symbol's calendar: `--calendar`, else the stored one, else the source's, else `none` (calendars/resolve.ts). */
function calendarOf(request: CollectRequest, deps: CollectDeps, symbol: string, reported?: string): ResolvedCalendar {
  return resolveCalendar({ explicit: request.calendar, stored: instrumentCalendar(deps.store, symbol), source: reported }, { home: storeHome(deps.store) });
}

function validation(request: CollectRequest, deps: CollectDeps, interval: Interval, now: number, calendar: Calendar) {
  return { interval, now, calendar, acceptOutliers: request.acceptOutliers, outlierZ: deps.settings.outlierZ };
}

/** Stored bars before a batch, so a small incremental batch is judged against the series' history. */
function history(store: Store, symbol: string, interval: Interval, firstTs: number): Bar[] {
  return Number.isFinite(firstTs) ? barsBefore(store, symbol, interval, firstTs, HISTORY_BARS) : [];
}

/** Bar times stored over the batch's range (the batch's own times when the store holds nothing else there). */
function storedTimes(store: Store, symbol: string, interval: Interval, columns: BarColumns): ArrayLike<number> {
  const n = columns.length;
  const from = columns.time[0];
  const to = columns.time[n - 1] + 1;
  return countBars(store, symbol, interval, from, to) === n ? columns.time : loadTimes(store, symbol, interval, from, to);
}

/** A validated batch of one symbol, ready to store. */
interface Batch {
  columns: BarColumns;
  rejected: RejectedRow[];
  wasUnsorted: boolean;
  fetched: number;
  meta?: InstrumentMeta;
}

/** Upsert and quarantine one symbol's validated batch (one transaction), then report gaps and resample. */
function ingest(symbol: string, interval: Interval, source: string, batch: Batch, plan: Plan, deps: CollectDeps, runId: number, notes: string[], now: number, resolved: ResolvedCalendar): SymbolOutcome {
  const { store } = deps;
  const { calendar } = resolved;
  // The calendar is stored unless nothing named one (then `none` is only this run's default).
  const meta = { ...batch.meta, calendar: resolved.origin === 'default' ? undefined : calendar.name };
  const rejected = batch.rejected;
  let counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  store.db
    .transaction(() => {
      counts = upsertColumns(store, symbol, interval, batch.columns, { source, now });
      quarantineRows(
        store,
        runId,
        rejected.map((r) => ({ symbol, interval, source, ts: r.ts, reason: r.reason, detail: r.detail, raw: r.raw })),
        now,
      );
      upsertInstrument(store, symbol, meta, now);
    })
    .immediate();

  const reasons: Record<string, number> = {};
  for (const r of rejected) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  if ((reasons.misaligned_timestamp ?? 0) * 2 > batch.fetched) {
    // Typically hourly equity bars stamped from the session open (09:30 New York) on a calendar with a UTC grid.
    const grid = calendar.utcGrid ? `the UTC ${interval} grid of the ${calendar.name} calendar` : `the ${interval} session grid of ${calendar.name}`;
    const msg = `most bars are off ${grid}; they were quarantined: collect with the instrument's calendar (--calendar XNYS, ...), or 30m bars with --resample ${interval}`;
    notes.unshift(msg);
    deps.log.warn(`${symbol}: ${msg}`);
  }
  const n = batch.columns.length;
  const first = n ? batch.columns.time[0] : null;
  const last = n ? batch.columns.time[n - 1] : null;
  const gaps = first === null || last === null ? [] : findGaps(storedTimes(store, symbol, interval, batch.columns), interval, calendar);
  const resampled = first === null ? [] : plan.resample.map((target) => resampleStored(store, symbol, interval, target, first, now, calendar));
  return {
    symbol,
    status: 'ok',
    source,
    calendar: calendar.name,
    fetched: batch.fetched,
    ...counts,
    quarantined: rejected.length,
    quarantineReasons: reasons,
    wasUnsorted: batch.wasUnsorted,
    first,
    last,
    gaps,
    resampled,
    notes,
    error: null,
  };
}

/**
 * Rebuild the `target` bars whose buckets the new `fine` bars touched (from the bucket containing `from` on),
 * from what is stored, so a revised fine bar revises its coarse bar too. `from` = -Infinity rebuilds everything.
 */
export function resampleStored(store: Store, symbol: string, fine: Interval, target: Interval, from: number, now: number, calendar: Calendar = storedCalendar(store, symbol)): ResampleOutcome {
  const start = Number.isFinite(from) ? calendar.barOpenTime(calendar.floor(from, target), target) : undefined;
  const series = loadSeries(store, symbol, fine, { from: start });
  const out = resampleBars(series, target, { now, calendar });
  // The series' very first bucket is partial when the data starts inside it (its open would not be the bucket's
  // open): leave it out, as the still-open last bucket is.
  const firstStored = series.length > 0 && (start === undefined || lastBarTime(store, symbol, fine, start) === undefined);
  const leadingPartial = firstStored && out.bars.length > 0 && out.bars[0].count < out.bars[0].expected;
  const bars = leadingPartial ? out.bars.slice(1) : out.bars;
  let counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  store.db.transaction(() => {
    counts = upsertBars(store, symbol, target, bars, { source: 'resample', originInterval: fine, now });
  }).immediate();
  return { interval: target, buckets: bars.length, incompleteDropped: out.incompleteDropped, leadingPartialDropped: leadingPartial, ...counts };
}

async function importSeries(request: CollectRequest, deps: CollectDeps, runId: number): Promise<SeriesOutcome> {
  const name = request.series as string;
  const parsed = await abortable(readCsvSeries(request.csv as CsvInput, { timeColumn: request.timeColumn, tz: request.tz }), deps.signal);
  const now = deps.now();
  const good = parsed.points.filter((p) => Number.isFinite(p.ts) && p.ts >= 0 && p.ts <= now && Number.isFinite(p.value));
  const bad = parsed.points.filter((p) => !good.includes(p));
  const byTs = new Map<number, { ts: number; value: number }>();
  for (const p of good) byTs.set(p.ts, { ts: p.ts, value: p.value });
  const points = [...byTs.values()].sort((a, b) => a.ts - b.ts);
  let counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  deps.store.db.transaction(() => {
    counts = upsertExternalSeries(deps.store, name, points, 'csv', now);
    quarantineRows(
      deps.store,
      runId,
      bad.map((p) => ({
        symbol: name,
        interval: 'series',
        source: 'csv',
        ts: Number.isFinite(p.ts) ? p.ts : null,
        reason: !Number.isFinite(p.ts) ? 'bad_timestamp' : !Number.isFinite(p.value) ? 'non_finite' : p.ts > now ? 'future_timestamp' : 'before_1970',
        detail: !Number.isFinite(p.value) ? 'value is not a finite number' : 'timestamp out of range',
        raw: p.raw,
      })),
      now,
    );
  }).immediate();
  return {
    name,
    fetched: parsed.points.length,
    quarantined: bad.length,
    ...counts,
    first: points.length ? points[0].ts : null,
    last: points.length ? points[points.length - 1].ts : null,
  };
}

function failedOutcome(symbol: string, reason: unknown): SymbolOutcome {
  if (!(reason instanceof PulseError)) throw reason; // a bug, not a data problem: let the boundary report it
  return {
    symbol,
    status: 'failed',
    source: null,
    calendar: null,
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    quarantined: 0,
    quarantineReasons: {},
    wasUnsorted: false,
    first: null,
    last: null,
    gaps: [],
    resampled: [],
    notes: [],
    error: toError(reason).message,
  };
}

function totalsOf(outcomes: SymbolOutcome[], series: SeriesOutcome | null): RunCounts {
  const t: RunCounts = { fetched: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0, gaps: 0 };
  for (const o of outcomes) {
    t.fetched += o.fetched;
    t.inserted += o.inserted;
    t.updated += o.updated;
    t.unchanged += o.unchanged;
    t.quarantined += o.quarantined;
    t.gaps += o.gaps.length;
  }
  if (series) {
    t.fetched += series.fetched;
    t.inserted += series.inserted;
    t.updated += series.updated;
    t.unchanged += series.unchanged;
    t.quarantined += series.quarantined;
  }
  return t;
}
