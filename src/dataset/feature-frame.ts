/**
 * Feature frames: a symbol's stored bars turned into a feature matrix (and labels) for a feature set, with the
 * context series the set needs loaded from the store, and the matrix cached beside the store keyed by the set's hash
 * and the data stamps of every input series (any new or revised bar invalidates it).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import { computeFeatureSet, type FeatureContext } from '../features/compute.js';
import type { ExternalSeries } from '../features/context.js';
import { featureSetHash, planFeatures, type FeatureInfo, type FeatureSetSpec } from '../features/feature-set.js';
import { computeLabels, labelName, type LabelSpec } from '../features/labels.js';
import { assertNoLookahead } from '../features/lookahead.js';
import { seriesFromBars, type BarSeries } from '../core/bars.js';
import { lowerBound } from '../core/arrays.js';
import { storedCalendar } from '../market/calendars/resolve.js';
import { noData } from '../market/inventory.js';
import type { Interval } from '../core/interval.js';
import { resampleBars } from '../market/resample.js';
import { cacheDir, readColumns, safeName, writeColumns } from '../core/column-file.js';
import type { Store } from '../store/store.js';

export interface FeatureFrameRequest {
  symbol: string;
  interval: Interval;
  set: FeatureSetSpec;
  /** Stored symbol of each reference name in the set (default: the name upper-cased). */
  references?: Record<string, string>;
  labels?: LabelSpec[];
  /**
   * Rows to return, by bar open time [from, to); features always see the history before `from` for their warm-up.
   * Labels are as known at `to`: one whose horizon reaches a bar at or after `to` is NaN (unknown yet).
   */
  from?: number;
  to?: number;
  /**
   * Only the newest `newest` rows, computed from those bars and `WARMUP_LOOKBACKS` times the set's largest lookback
   * bars before them instead of from the whole history: a cost that does not grow with the series (timing a model on
   * current data). Features with unbounded memory (EMA-based) differ slightly from a whole-history frame's (a few
   * parts in 1e5 for the default set), cumulative ones (OBV) by a constant offset; the frame is not cached. Not with
   * `from` / `to`.
   */
  newest?: number;
  /** Run the look-ahead check on the set before computing (training does; it costs a few recomputations). */
  checkLookahead?: boolean;
}

export interface FeatureFrame {
  symbol: string;
  interval: Interval;
  set: { name: string; version: number; hash: string };
  /** Bar open times of the returned rows. */
  time: Float64Array;
  names: string[];
  columns: Float64Array[];
  features: FeatureInfo[];
  labelNames: string[];
  labels: Float64Array[];
  labelHorizons: number[];
  /** Largest bar-feature lookback: the first `lookback` rows of the history have NaN features. */
  lookback: number;
  /** The returned rows still inside that warm-up (the first `warmupRows` of the window; 0 when it starts later). */
  warmupRows: number;
  rows: number;
  /** Whether the matrix came from the cache. */
  cached: boolean;
  /** The bars the frame was built from (all history, or the newest bars of a `newest` frame; rows are a window of it). */
  bars: BarSeries;
}

/** Lookbacks of warm-up loaded before the rows of a `newest` frame. */
export const WARMUP_LOOKBACKS = 4;

/** Build a feature frame from the store (see the module note). */
export async function buildFeatureFrame(store: Store, request: FeatureFrameRequest): Promise<FeatureFrame> {
  const { symbol, interval, set } = request;
  const planned = planFeatures(set, { interval });
  const lookback = planned.filter((p) => p.source.kind === 'bars').reduce((m, p) => Math.max(m, p.lookback), 0);
  const newest = request.newest;
  if (newest !== undefined && (request.from !== undefined || request.to !== undefined)) throw new Error('a feature frame takes newest or from/to, not both');
  const bars = newest === undefined ? await store.bars.load(symbol, interval) : await loadNewest(store, symbol, interval, newest + WARMUP_LOOKBACKS * lookback);
  if (bars.length === 0) throw await noData(store, symbol, interval);
  const hash = featureSetHash(set);
  const refs = request.references ?? {};
  const refSymbol = (name: string) => refs[name] ?? name.toUpperCase();
  if (newest !== undefined) {
    const columns = computeFeatureSet(set, bars, await loadFeatureContext(store, set, bars, refSymbol)).columns;
    return frameOf(request, bars, planned, hash, lookback, columns, Math.max(0, bars.length - newest), bars.length, false);
  }

  const stamps = [await store.series.stamp(symbol, interval)];
  for (const tf of set.timeframes) stamps.push((await store.series.stamp(symbol, tf.interval)) ?? `resampled:${tf.interval}:${await store.instruments.calendar(symbol)}`);
  for (const r of set.references) stamps.push((await store.series.stamp(refSymbol(r.name), interval)) ?? `missing:${r.name}`);
  for (const e of set.external) stamps.push(await store.instruments.externalStamp(e.name));
  const key = `features:${hash}:${createHash('sha256').update(stamps.join('|')).digest('hex')}`;
  const file = join(cacheDir(store.home, 'features'), `${safeName(symbol)}__${interval}__${hash.slice(0, 16)}.f64`);

  let columns = readColumns(file, key);
  const cached = columns !== undefined && columns.length === planned.length && (columns[0]?.length ?? 0) === bars.length;
  if (!cached || request.checkLookahead) {
    const context = await loadFeatureContext(store, set, bars, refSymbol);
    if (request.checkLookahead) assertNoLookahead(set, bars, context);
    if (!cached) {
      columns = computeFeatureSet(set, bars, context).columns;
      writeColumns(file, key, columns);
    }
  }
  const start = request.from === undefined ? 0 : lowerBound(bars.time, request.from);
  const end = request.to === undefined ? bars.length : lowerBound(bars.time, request.to);
  return frameOf(request, bars, planned, hash, lookback, columns as Float64Array[], start, end, cached);
}

/** The newest `n` bars of a series (all of them when it is shorter). */
async function loadNewest(store: Store, symbol: string, interval: Interval, n: number): Promise<BarSeries> {
  const [first] = await store.bars.tail(symbol, interval, n);
  return first === undefined ? store.bars.load(symbol, interval) : store.bars.load(symbol, interval, { from: first.ts });
}

/** Rows [start, end) of computed feature columns, with the labels the request asks for. */
function frameOf(request: FeatureFrameRequest, bars: BarSeries, planned: ReturnType<typeof planFeatures>, hash: string, lookback: number, columns: Float64Array[], start: number, end: number, cached: boolean): FeatureFrame {
  const { symbol, interval, set } = request;
  const labels = request.labels?.length ? computeLabels(bars, request.labels) : { names: [], columns: [], horizons: [] };
  if (end <= start) {
    throw new DataError(`no ${interval} bars of ${symbol} in the requested range`, '`pulse data ls` shows the stored range of each series');
  }
  // A label needs the `horizon` bars after its row: those at or past `to` are not known as of `to`.
  labels.columns.forEach((col, k) => col.fill(NaN, Math.max(0, end - labels.horizons[k]), end));
  const window = (c: Float64Array) => (start === 0 && end === bars.length ? c : c.subarray(start, end));
  return {
    symbol,
    interval,
    set: { name: set.name, version: set.version, hash },
    time: window(bars.time),
    names: planned.map((p) => p.name),
    columns: columns.map(window),
    features: planned.map(({ resolved: _r, ...info }) => info),
    labelNames: request.labels?.map(labelName) ?? [],
    labels: labels.columns.map(window),
    labelHorizons: labels.horizons,
    lookback,
    warmupRows: Math.max(0, Math.min(end, lookback) - start),
    rows: end - start,
    cached,
    bars,
  };
}

/**
 * The series a set's context features need: coarser bars of the symbol (stored, or resampled in memory from the
 * bars when that interval is not stored), reference symbols at the same interval, external series.
 */
export async function loadFeatureContext(store: Store, set: FeatureSetSpec, bars: BarSeries, refSymbol: (name: string) => string): Promise<FeatureContext> {
  const context: FeatureContext = { timeframes: {}, references: {}, external: {} };
  for (const tf of set.timeframes) {
    const stored = await store.bars.load(bars.symbol, tf.interval);
    // Buckets follow the instrument's calendar (session-anchored on an exchange calendar).
    context.timeframes![tf.interval] =
      stored.length > 0 ? stored : seriesFromBars(bars.symbol, tf.interval, resampleBars(bars, tf.interval, { calendar: await storedCalendar(store, bars.symbol) }).bars);
  }
  for (const r of set.references) {
    const ref = await store.bars.load(refSymbol(r.name), bars.interval);
    if (ref.length === 0) throw await noData(store, refSymbol(r.name), bars.interval);
    context.references![r.name] = ref;
  }
  for (const e of set.external) {
    const ext: ExternalSeries = await store.instruments.loadExternal(e.name);
    if (ext.time.length === 0) {
      throw new DataError(`external series "${e.name}" has no points`, `import it: pulse collect --source csv --series ${e.name} --file FILE`);
    }
    context.external![e.name] = ext;
  }
  return context;
}
