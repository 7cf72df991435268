/**
 * `pulse collect`: fetch bars from a source (or a failover list of sources), validate them, quarantine what fails,
 * upsert the rest idempotently (one transaction per symbol batch), report gaps, and resample into coarser intervals.
 * Every run is audited in `collect_runs`.
 */
import { InterruptedError, PulseError, UsageError, toError } from '../core/errors.js';
import { abortable, mapSettled, throwIfAborted } from '../core/async.js';
import type { Logger } from '../core/logger.js';
import { seriesScope, type LockFn } from '../core/lock.js';
import { isProcessAlive } from '../core/process.js';
import type { BarColumns, RunCounts, RunStatus, UpsertCounts } from '../store/records.js';
import type { Store } from '../store/store.js';
import { storeBreakers } from './sources/breaker-store.js';
import { barsToColumns, type Bar, type SourceRow } from '../core/bars.js';
import type { Calendar } from './calendars/calendar.js';
import { resolveCalendar, type ResolvedCalendar } from './calendars/resolve.js';
import { findGaps, type Gap } from './gaps.js';
import { canResample, INTERVAL_MS, INTERVALS, type Interval } from '../core/interval.js';
import { checkResampleTarget, resampleStored, type ResampleOutcome } from './stored-resample.js';
import { COLLECT_SOURCES, planSeriesSources, type SeriesSourcePlan } from './source-policy.js';
import { readCsvImport } from './csv-import.js';
import { readCsvSeries, readCsvText, type CsvInput } from './sources/csv.js';
import { fetchWithFailover } from './sources/failover.js';
import type { Sleep } from './sources/http.js';
import { createSource, isSourceName, type SourceName } from './sources/registry.js';
import type { BarSource, HttpFetch, InstrumentMeta } from './sources/source.js';
import { validateColumns, validateRows, type RejectedRow } from './validate.js';

/** What to collect. Times are ms since epoch (UTC). */
export interface CollectRequest {
  symbols: string[];
  /**
   * `--source`: source names in failover order (`csv` alone for file imports). Undefined: each series is collected
   * from its recorded source list, a new one from the `collect.source` setting (see source-policy.ts).
   */
  sources?: string[];
  /** `--interval`; undefined only for CSV imports, which then take the file's own spacing. */
  interval?: Interval;
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
  /** `--align floor`: snap timestamps that are off the bar grid by less than one interval onto it (recorded). */
  align?: 'none' | 'floor';
  /** `--allow-source-change`: let a stored series be collected from a source it was not collected from. */
  allowSourceChange?: boolean;
  seed: number;
}

/** Settings and services the run uses. */
export interface CollectDeps {
  store: Store;
  settings: {
    /** The `collect.source` setting: sources of a new series when `--source` is not given. */
    source?: string;
    concurrency: number;
    timeoutMs: number;
    retries: number;
    overlapBars: number;
    outlierZ: number;
    /** A symbol whose quarantined share of rows exceeds this (percent) fails the run (its bars are kept). */
    maxQuarantinePct: number;
    breakerFailures: number;
    breakerCooldownMinutes: number;
  };
  now: () => number;
  log: Logger;
  signal?: AbortSignal;
  /** Takes the series locks the run writes under (none without it: a library caller that runs alone). */
  lock?: LockFn;
  /** HTTP for online sources (global fetch in production; recorded responses in tests). */
  fetch?: HttpFetch;
  sleep?: Sleep;
}

/**
 * How a symbol's collect ended: `ok`; `failed` (every source failed: nothing fetched); `rejected` (rows came, but
 * validation rejected every one: nothing stored); `suspect` (stored, but the quarantined share of its rows
 * exceeds `collect.maxQuarantinePct`).
 */
export type SymbolStatus = 'ok' | 'failed' | 'rejected' | 'suspect';

/** Outcome for one symbol. */
export interface SymbolOutcome {
  symbol: string;
  status: SymbolStatus;
  /** The source that delivered the bars. */
  source: string | null;
  /** The calendar gaps, alignment and resampling were judged on (null when the symbol failed). */
  calendar: string | null;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  /** Quarantined rows that were not in the quarantine already (a row rejected again is kept once). */
  quarantinedNew: number;
  /** Quarantined rows in percent of the rows fetched (0 when none were fetched). */
  quarantinedPct: number;
  quarantineReasons: Record<string, number>;
  /** Rows that arrived out of order (sorted, not rejected). */
  wasUnsorted: boolean;
  /** Timestamps moved onto the bar grid by `--align floor`. */
  snapped: number;
  first: number | null;
  last: number | null;
  gaps: Gap[];
  resampled: ResampleOutcome[];
  /** The series' recorded source list before this run changed it (`--allow-source-change`), else null. */
  sourceChangedFrom: string | null;
  notes: string[];
  /** What went wrong, for a status other than `ok`. */
  error: string | null;
  /** What to do about it. */
  hint: string | null;
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
  /** The bars' interval (null for an external-series import). */
  interval: Interval | null;
  totals: RunCounts;
  symbols: SymbolOutcome[];
  series: SeriesOutcome | null;
  durationMs: number;
}

/** History bars given to validation so a small incremental batch is judged against the stored series. */
const HISTORY_BARS = 100;

/**
 * Run one collect. Per-symbol failures are reported in the result (status `partial` or `failed`), never thrown;
 * a bad request (unknown source, a source the series may not take, a CSV of another interval) throws before
 * anything is written.
 */
export async function collect(request: CollectRequest, deps: CollectDeps): Promise<CollectResult> {
  checkRequest(request);
  const { store, now } = deps;
  if (request.series !== undefined) return runAudited(request, deps, request.interval, 'csv', async (runId) => ({ outcomes: [], series: await importSeries(request, deps, runId) }));
  if (request.sources?.includes('csv')) {
    // The file is read inside the audited run: a run waiting on stdin shows as running, and a file refused for
    // its spacing or source is recorded as a failed run.
    return runAudited(request, deps, request.interval, 'csv', (runId, setInterval) => collectCsvFile(request, deps, runId, setInterval));
  }
  const interval = request.interval as Interval;
  // Each series is collected from its own sources: group the symbols by their source lists.
  const groups = new Map<string, { sources: BarSource[]; plan: Plan; symbols: { symbol: string; policy: SeriesSourcePlan }[] }>();
  for (const symbol of request.symbols) {
    const requested = await planSources(request, deps, symbol, interval, undefined);
    const key = requested.sources.join(',');
    let group = groups.get(key);
    if (!group) {
      const sources = await Promise.all(
        requested.sources.map((name) =>
          createSource(name as SourceName, { fetch: deps.fetch, seed: request.seed, now, sleep: deps.sleep, timeoutMs: deps.settings.timeoutMs, retries: deps.settings.retries }),
        ),
      );
      group = { sources, plan: planRequest(request, interval, sources), symbols: [] };
      groups.set(key, group);
    }
    // The bars land in the fetched interval's series, which must take these sources too.
    const policy = group.plan.fetchInterval === interval ? requested : await planSources({ ...request, sources: requested.sources }, deps, symbol, group.plan.fetchInterval, requested.sources);
    for (const target of group.plan.resample) await checkResampleTarget(store, symbol, group.plan.fetchInterval, target, policy.synthetic);
    group.symbols.push({ symbol, policy });
  }
  const sourceLabel = [...groups.keys()].join(';');
  const scopes = [...groups.values()].flatMap((g) => g.symbols.flatMap(({ symbol }) => seriesScopes(symbol, g.plan.fetchInterval, g.plan.resample)));
  const lock = await deps.lock?.(scopes);
  try {
    return await runAudited(request, deps, interval, sourceLabel, async (runId) => {
      const outcomes: SymbolOutcome[] = [];
      for (const group of groups.values()) {
        const limit = group.sources.some((s) => s.name !== 'synthetic') ? deps.settings.concurrency : 1;
        const settled = await mapSettled(group.symbols, limit, ({ symbol, policy }) => collectSymbol(symbol, group.sources, group.plan, policy, request, deps, runId));
        settled.forEach((s, i) => outcomes.push(s.status === 'fulfilled' ? s.value : failedOutcome(group.symbols[i].symbol, s.reason)));
      }
      return { outcomes, series: null };
    });
  } finally {
    lock?.release();
  }
}

/** A `--source csv` collect of one symbol: read and check the file, then validate and store it under its lock. */
async function collectCsvFile(request: CollectRequest, deps: CollectDeps, runId: number, setInterval: (interval: Interval) => Promise<void>) {
  const { store } = deps;
  const symbol = request.symbols[0];
  const calendar = await calendarOf(request, deps, symbol);
  const csv = await readCsv(request, deps, calendar.calendar);
  throwIfAborted(deps.signal);
  await setInterval(csv.interval);
  const plan: Plan = { fetchInterval: csv.interval, resample: [...new Set(request.resample)], hint: 'csv' };
  checkResampleIntervals(csv.interval, plan.resample);
  const policy = await planSources(request, deps, symbol, csv.interval, ['csv']);
  for (const target of plan.resample) await checkResampleTarget(store, symbol, csv.interval, target, policy.synthetic);
  const lock = await deps.lock?.(seriesScopes(symbol, csv.interval, plan.resample));
  try {
    const now = deps.now();
    const firstTs = minTime(csv.columns.time);
    const checked = validateColumns(csv.columns, { ...validation(request, deps, csv.interval, now, calendar.calendar), history: await history(store, symbol, csv.interval, firstTs), symbol });
    throwIfAborted(deps.signal);
    const batch: Batch = { columns: { ...checked.series, adjClose: checked.adjClose }, rejected: checked.rejected, wasUnsorted: checked.wasUnsorted, fetched: csv.columns.length, snapped: csv.snapped };
    return { outcomes: [await ingest(symbol, 'csv', batch, plan, policy, deps, runId, csv.notes, now, calendar)], series: null };
  } finally {
    lock?.release();
  }
}

/** The lock scopes of a symbol's collect: its collected series and every series resampled from it. */
function seriesScopes(symbol: string, interval: Interval, resample: readonly Interval[]): string[] {
  return [interval, ...resample].map((iv) => seriesScope(symbol, iv));
}

/** Record the run around `work`: started, then finished with its status, counts and per-symbol details. */
async function runAudited(
  request: CollectRequest,
  deps: CollectDeps,
  interval: Interval | undefined,
  source: string,
  work: (runId: number, setInterval: (interval: Interval) => Promise<void>) => Promise<{ outcomes: SymbolOutcome[]; series: SeriesOutcome | null }>,
): Promise<CollectResult> {
  const { store, now } = deps;
  await store.runs.failOrphaned(isProcessAlive, now());
  const startedAt = now();
  // A file's interval may only be known once it is read: the run records it then.
  let runInterval: Interval | undefined = interval;
  const runId = await store.runs.start({ source, interval: interval ?? null, symbols: request.symbols, pid: process.pid, now: startedAt });
  let outcomes: SymbolOutcome[] = [];
  let series: SeriesOutcome | null = null;
  try {
    ({ outcomes, series } = await work(runId, async (iv) => {
      runInterval = iv;
      await store.runs.setInterval(runId, iv);
    }));
  } catch (err) {
    const status = err instanceof InterruptedError || deps.signal?.aborted ? 'interrupted' : 'failed';
    await store.runs.finish(runId, { status, counts: totalsOf(outcomes, series), error: toError(err).message, details: { symbols: outcomes }, now: now(), startedAt });
    throw err;
  }
  const bad = outcomes.filter((o) => o.status !== 'ok');
  let status: RunStatus = 'ok';
  if (deps.signal?.aborted) status = 'interrupted';
  else if (bad.length > 0) status = bad.every((o) => o.status === 'failed' || o.status === 'rejected') && bad.length === outcomes.length ? 'failed' : 'partial';
  const error = bad.length > 0 ? bad.map((o) => `${o.symbol}: ${o.error}`).join('; ') : null;
  const finishedAt = now();
  const totals = totalsOf(outcomes, series);
  await store.runs.finish(runId, { status, counts: totals, error, details: { symbols: outcomes, series }, now: finishedAt, startedAt });
  return { runId, status, source, interval: runInterval ?? null, totals, symbols: outcomes, series, durationMs: finishedAt - startedAt };
}

interface Plan {
  /** The interval actually fetched (a native finer one when the source lacks the requested interval). */
  fetchInterval: Interval;
  resample: Interval[];
  /** What the bars' timestamps follow, for hints: a file, or an online source. */
  hint: 'csv' | 'online';
}

/** Refuse a malformed request before anything is fetched or written. */
function checkRequest(request: CollectRequest): void {
  for (const name of request.sources ?? []) {
    if (name !== 'csv' && !isSourceName(name)) {
      throw new UsageError(`unknown source "${name}"`, `use one of: ${COLLECT_SOURCES.join(', ')}; a comma list fails over in order`);
    }
  }
  if (request.sources !== undefined && request.sources.length === 0) throw new UsageError('--source names no source', `use one of: ${COLLECT_SOURCES.join(', ')}`);
  const csv = request.sources?.includes('csv') ?? false;
  if (csv && (request.sources as string[]).length > 1) throw new UsageError('--source csv cannot be combined with other sources', 'import the file in its own collect run');
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
  if (!csv && request.interval === undefined) throw new UsageError('no interval given', 'pass --interval, e.g. --interval 1d');
  for (const s of request.symbols) {
    if (!/^[A-Za-z0-9^=._:/-]{1,32}$/.test(s)) throw new UsageError(`symbol "${s}" is not valid`, 'symbols are 1-32 characters: letters, digits and ^ = . _ : / -');
  }
  if (request.from !== undefined && request.to !== undefined && request.from >= request.to) {
    throw new UsageError('--from must be before --to');
  }
}

/** The source rules for one series (source-policy.ts), given what the store records for it. */
async function planSources(request: CollectRequest, deps: CollectDeps, symbol: string, interval: Interval, requested: string[] | undefined): Promise<SeriesSourcePlan> {
  return planSeriesSources({
    symbol,
    interval,
    requested: requested ?? request.sources,
    configured: deps.settings.source === undefined ? undefined : deps.settings.source.split(',').map((s) => s.trim()).filter(Boolean),
    recorded: await deps.store.series.source(symbol, interval),
    allowSourceChange: request.allowSourceChange ?? false,
  });
}

/** Decide what to fetch: the interval itself, or a finer native one plus resampling. */
function planRequest(request: CollectRequest, interval: Interval, sources: readonly BarSource[]): Plan {
  let fetchInterval = interval;
  const resample = [...new Set(request.resample)];
  checkResampleIntervals(interval, resample);
  // A source without the requested interval (Yahoo has no 4h) is asked for the coarsest native interval that
  // divides it; the requested interval is then built by resampling.
  const native = (iv: Interval) => sources.some((s) => s.intervals.includes(iv));
  if (!native(interval)) {
    const finer = [...INTERVALS].reverse().find((iv) => native(iv) && canResample(iv, interval));
    if (!finer) throw new UsageError(`no source given serves ${interval} bars`, 'choose another interval or source');
    fetchInterval = finer;
    resample.unshift(interval);
  }
  return { fetchInterval, resample, hint: 'online' };
}

function checkResampleIntervals(interval: Interval, targets: readonly Interval[]): void {
  for (const target of targets) {
    if (!canResample(interval, target)) {
      throw new UsageError(`cannot resample ${interval} bars into ${target}`, 'resample targets must be coarser intervals that whole buckets of the collected interval fill');
    }
  }
}

async function collectSymbol(
  symbol: string,
  sources: BarSource[],
  plan: Plan,
  policy: SeriesSourcePlan,
  request: CollectRequest,
  deps: CollectDeps,
  runId: number,
): Promise<SymbolOutcome> {
  if (deps.signal?.aborted) throw new InterruptedError();
  const { store, settings } = deps;
  const interval = plan.fetchInterval;
  const notes: string[] = [];
  let from = request.from;
  if (from === undefined) {
    const last = await store.bars.lastTime(symbol, interval);
    if (last !== undefined) {
      from = last - settings.overlapBars * INTERVAL_MS[interval];
      notes.push(`incremental from ${new Date(last).toISOString()} with ${settings.overlapBars} bars of overlap`);
    }
  }
  // A calendar known before the fetch (given or stored) is passed on: the synthetic source generates on it.
  const known = request.calendar ?? (await store.instruments.calendar(symbol)) ?? undefined;
  const { result, sourceUsed, attempts } = await fetchWithFailover(
    sources,
    storeBreakers(store, deps.now),
    { symbol, interval, from, to: request.to, signal: deps.signal, calendar: known === undefined ? undefined : (await calendarOf(request, deps, symbol)).calendar },
    { now: deps.now, breaker: { failureThreshold: settings.breakerFailures, cooldownMs: Math.max(1, settings.breakerCooldownMinutes * 60_000) } },
  );
  for (const a of attempts) {
    if (a.outcome === 'failed') notes.push(`${a.source} failed: ${a.error.message}`);
    else if (a.outcome === 'skipped-open') notes.push(`${a.source} skipped: circuit breaker open until ${new Date(a.openUntil).toISOString()}`);
  }
  notes.push(...(result.notes ?? []));
  const now = deps.now();
  const reported = result.meta?.calendar ?? sources.find((s) => s.name === sourceUsed)?.defaultCalendar;
  const calendar = await calendarOf(request, deps, symbol, reported);
  const { rows, snapped } = request.align === 'floor' ? snapRows(result.rows, interval, calendar.calendar) : { rows: result.rows, snapped: 0 };
  if (snapped > 0) notes.push(`--align floor snapped ${snapped} timestamps to the ${interval} grid`);
  const firstTs = rows.reduce((m, r) => (Number.isFinite(r.ts) && r.ts < m ? r.ts : m), Infinity);
  const checked = validateRows(rows, { ...validation(request, deps, interval, now, calendar.calendar), history: await history(deps.store, symbol, interval, firstTs) });
  const batch: Batch = { columns: barsToColumns(checked.bars), rejected: checked.rejected, wasUnsorted: checked.wasUnsorted, fetched: rows.length, meta: result.meta, snapped };
  return ingest(symbol, sourceUsed, batch, plan, policy, deps, runId, notes, now, calendar);
}

/** Snap row times that are off the calendar's bar grid onto the bar that contains them (`--align floor`). */
function snapRows(rows: readonly SourceRow[], interval: Interval, calendar: Calendar): { rows: SourceRow[]; snapped: number } {
  let snapped = 0;
  const out = rows.map((r) => {
    if (!Number.isFinite(r.ts) || calendar.isAligned(r.ts, interval)) return r;
    snapped++;
    return { ...r, ts: calendar.floor(r.ts, interval) };
  });
  return { rows: out, snapped };
}

/** Read the CSV of a `--source csv` collect, checking its spacing on the calendar against `--interval` (csv-import.ts). */
async function readCsv(request: CollectRequest, deps: CollectDeps, calendar: Calendar) {
  const text = await abortable(readCsvText(request.csv as CsvInput), deps.signal);
  return readCsvImport(text, {
    interval: request.interval,
    timeColumn: request.timeColumn,
    tz: request.tz,
    from: request.from,
    to: request.to,
    align: request.align ?? 'none',
    ordinal: (ts, iv) => calendar.tradingOrdinal(ts, iv),
    floor: (ts, iv) => calendar.floor(ts, iv),
    isAligned: (ts, iv) => calendar.isAligned(ts, iv),
  });
}

/** The symbol's calendar: `--calendar`, else the stored one, else the source's, else `none` (calendars/resolve.ts). */
async function calendarOf(request: CollectRequest, deps: CollectDeps, symbol: string, reported?: string): Promise<ResolvedCalendar> {
  return resolveCalendar({ explicit: request.calendar, stored: await deps.store.instruments.calendar(symbol), source: reported }, { home: deps.store.home });
}

function minTime(time: ArrayLike<number>): number {
  let first = Infinity;
  for (let i = 0; i < time.length; i++) if (time[i] < first) first = time[i];
  return first;
}

function validation(request: CollectRequest, deps: CollectDeps, interval: Interval, now: number, calendar: Calendar) {
  return { interval, now, calendar, acceptOutliers: request.acceptOutliers, outlierZ: deps.settings.outlierZ };
}

/** Stored bars before a batch, so a small incremental batch is judged against the series' history. */
async function history(store: Store, symbol: string, interval: Interval, firstTs: number): Promise<Bar[]> {
  return Number.isFinite(firstTs) ? store.bars.before(symbol, interval, firstTs, HISTORY_BARS) : [];
}

/** Bar times stored over the batch's range (the batch's own times when the store holds nothing else there). */
async function storedTimes(store: Store, symbol: string, interval: Interval, columns: BarColumns): Promise<ArrayLike<number>> {
  const n = columns.length;
  const from = columns.time[0];
  const to = columns.time[n - 1] + 1;
  return (await store.bars.count(symbol, interval, from, to)) === n ? columns.time : store.bars.times(symbol, interval, from, to);
}

/** A validated batch of one symbol, ready to store. */
interface Batch {
  columns: BarColumns;
  rejected: RejectedRow[];
  wasUnsorted: boolean;
  fetched: number;
  snapped: number;
  meta?: InstrumentMeta;
}

/**
 * Upsert and quarantine one symbol's validated batch and record the series' source (one transaction), then report
 * gaps, resample, and judge the outcome: nothing stored of a non-empty batch is `rejected`; a quarantined share
 * over `collect.maxQuarantinePct` is `suspect`.
 */
async function ingest(
  symbol: string,
  source: string,
  batch: Batch,
  plan: Plan,
  policy: SeriesSourcePlan,
  deps: CollectDeps,
  runId: number,
  notes: string[],
  now: number,
  resolved: ResolvedCalendar,
): Promise<SymbolOutcome> {
  const { store } = deps;
  const { calendar } = resolved;
  // The calendar is stored unless nothing named one (then `none` is only this run's default).
  const meta = { ...batch.meta, calendar: resolved.origin === 'default' ? undefined : calendar.name };
  const interval = plan.fetchInterval;
  const rejected = batch.rejected;
  const { counts, newlyQuarantined } = await store.transaction(async (tx) => {
    const upserted = await tx.bars.upsert(symbol, interval, batch.columns, { source, now });
    const added = await tx.quarantine.add(
      runId,
      rejected.map((r) => ({ symbol, interval, source, ts: r.ts, reason: r.reason, detail: r.detail, raw: r.raw })),
      now,
    );
    await tx.instruments.upsert(symbol, meta, now);
    if (batch.columns.length > 0) {
      await tx.series.recordSource(symbol, interval, { source: policy.record, synthetic: policy.synthetic });
      if (policy.changedFrom !== null) await tx.series.recordSourceChange({ symbol, interval, previous: policy.changedFrom, next: policy.record, runId, changedAt: now });
    }
    return { counts: upserted, newlyQuarantined: added };
  });

  const reasons: Record<string, number> = {};
  for (const r of rejected) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  const n = batch.columns.length;
  const first = n ? batch.columns.time[0] : null;
  const last = n ? batch.columns.time[n - 1] : null;
  const gaps = first === null || last === null ? [] : findGaps(await storedTimes(store, symbol, interval, batch.columns), interval, calendar);
  const resampled: ResampleOutcome[] = [];
  if (first !== null) for (const target of plan.resample) resampled.push(await resampleStored(store, symbol, interval, target, first, now, policy.synthetic, calendar));
  const quarantinedPct = batch.fetched > 0 ? (100 * rejected.length) / batch.fetched : 0;
  const verdict = judge(symbol, interval, calendar, plan, batch, reasons, newlyQuarantined, deps.settings.maxQuarantinePct);
  if (verdict.status !== 'ok') deps.log.debug(`${symbol}: ${verdict.error}`);
  return {
    symbol,
    ...verdict,
    source,
    calendar: calendar.name,
    fetched: batch.fetched,
    ...counts,
    quarantined: rejected.length,
    quarantinedNew: newlyQuarantined,
    quarantinedPct,
    quarantineReasons: reasons,
    wasUnsorted: batch.wasUnsorted,
    snapped: batch.snapped,
    first,
    last,
    gaps,
    resampled,
    sourceChangedFrom: policy.changedFrom,
    notes,
  };
}

/** Reasons by count, largest first: `misaligned_timestamp x100, non_finite x2`. */
export function describeReasons(reasons: Record<string, number>, max = 3): string {
  const sorted = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, max).map(([k, v]) => `${k} x${v}`);
  if (sorted.length > max) shown.push(`${sorted.length - max} more reasons`);
  return shown.join(', ');
}

/**
 * Whether a batch counts as collected (see {@link ingest}), with the error and a hint right for the source. The
 * quarantine limit counts rows new to the quarantine, so a bad row that an incremental collect fetches again every
 * day (its overlap) fails one run, not every run after it.
 */
function judge(
  symbol: string,
  interval: Interval,
  calendar: Calendar,
  plan: Plan,
  batch: Batch,
  reasons: Record<string, number>,
  newlyQuarantined: number,
  maxPct: number,
): Pick<SymbolOutcome, 'status' | 'error' | 'hint'> {
  const quarantined = batch.rejected.length;
  const pct = batch.fetched > 0 ? (100 * newlyQuarantined) / batch.fetched : 0;
  if (quarantined === 0 || (batch.columns.length > 0 && pct <= maxPct)) return { status: 'ok', error: null, hint: null };
  const misaligned = reasons.misaligned_timestamp ?? 0;
  const grid = calendar.utcGrid ? `the ${interval} grid` : `the ${interval} session grid of ${calendar.name}`;
  const hint = misaligned * 2 > quarantined
    ? plan.hint === 'csv'
      ? `most rows are off ${grid}: pass --align floor to snap each to the bar it falls in, or --calendar NAME when they follow an exchange session`
      : `the source stamps bars off ${grid}: pass the instrument's --calendar (e.g. XNYS) so bars are checked on its session grid, or --align floor`
    : `see \`pulse data quarantine --symbol ${symbol}\` for each row and its reason`;
  const seen = quarantined - newlyQuarantined;
  const what = `${quarantined} of ${batch.fetched} rows quarantined (${describeReasons(reasons)}${seen > 0 ? `; ${seen} already quarantined before` : ''})`;
  if (batch.columns.length === 0) return { status: 'rejected', error: `${what}: nothing stored`, hint };
  return { status: 'suspect', error: `${what}: ${pct.toFixed(1)}% is over collect.maxQuarantinePct (${maxPct}%); the other rows were stored`, hint };
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
  const counts = await deps.store.transaction(async (tx) => {
    const upserted = await tx.instruments.upsertExternal(name, points, 'csv', now);
    await tx.quarantine.add(
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
    return upserted;
  });
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
    quarantinedNew: 0,
    quarantinedPct: 0,
    quarantineReasons: {},
    wasUnsorted: false,
    snapped: 0,
    first: null,
    last: null,
    gaps: [],
    resampled: [],
    sourceChangedFrom: null,
    notes: [],
    error: toError(reason).message,
    hint: reason.hint ?? null,
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
