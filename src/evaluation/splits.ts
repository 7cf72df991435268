/**
 * Time-series cross-validation without label leakage: walk-forward (expanding or rolling training windows) and
 * purged k-fold with an embargo, plus the held-out test tail.
 *
 * Rows are bar positions (0-based indices into the full series). The label of row t looks `horizon` bars ahead,
 * so its label window is the closed interval [t, t + horizon]. A training row is kept only when its window does
 * not overlap the window of any validation row: with a validation block spanning positions [a, b], training rows
 * need t + horizon < a (before the block) or t > b + horizon (after it). Purged k-fold also drops `embargo` more
 * bars after each validation block (features of the bars just after it are built from its prices). Rows are
 * given as the ascending positions that have a label, so gaps (NaN labels) are respected exactly.
 *
 * The splits belong to evaluation rather than to training because models use them too: the stacked ensemble
 * (src/models/ensemble.ts) purges its inner folds with `purgedKFoldSplits`.
 */
import { lowerBound } from '../core/arrays.js';
import { DataError, UsageError } from '../core/errors.js';

/** The fewest cross-validation folds: one fold gives no spread and no median of best iterations. */
export const MIN_FOLDS = 2;
/** The most cross-validation folds. */
export const MAX_FOLDS = 100;

/** Cross-validation schemes. */
export type CvScheme = 'walk-forward' | 'purged-kfold';

/** Training window of walk-forward: everything before the validation block, or the last `size` bars of it. */
export type TrainWindow = { kind: 'expanding' } | { kind: 'rolling'; size: number };

/** Options of `makeSplits`. */
export interface CvOptions {
  scheme: CvScheme;
  /** Number of validation folds, {@link MIN_FOLDS}..{@link MAX_FOLDS}. */
  folds: number;
  /** Label horizon in bars (>= 0): purge distance. */
  horizon: number;
  /** Extra bars dropped after each validation block (purged k-fold only), >= 0. */
  embargo: number;
  /** Walk-forward training window (ignored by purged k-fold). */
  window: TrainWindow;
  /** Fewest training rows a fold may have (default 20). */
  minTrainRows?: number;
  /** Fewest validation rows a fold may have (default 10). */
  minValidRows?: number;
}

/** One fold: ascending positions of its training and validation rows. */
export interface Split {
  train: Uint32Array;
  valid: Uint32Array;
}

/** Default fewest training rows per fold. */
export const DEFAULT_MIN_TRAIN_ROWS = 20;
/** Default fewest validation rows per fold. */
export const DEFAULT_MIN_VALID_ROWS = 10;

/** Check cross-validation options; `UsageError` naming the bad option and its range. */
export function checkCvOptions(o: CvOptions): void {
  const int = (v: number, name: string, lo: number, hi: number): void => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new UsageError(`${name} = ${v} is invalid`, `${name} must be an integer in [${lo}, ${hi}]`);
  };
  if (o.scheme !== 'walk-forward' && o.scheme !== 'purged-kfold') {
    throw new UsageError(`unknown cross-validation scheme ${JSON.stringify(o.scheme)}`, 'use walk-forward or purged-kfold');
  }
  int(o.folds, 'folds', MIN_FOLDS, MAX_FOLDS);
  int(o.horizon, 'horizon', 0, 1_000_000);
  int(o.embargo, 'embargo', 0, 1_000_000);
  if (o.window.kind === 'rolling') int(o.window.size, 'rolling window size', 1, 2 ** 32 - 1);
  else if (o.window.kind !== 'expanding') throw new UsageError('unknown training window', 'use expanding or rolling:N');
  int(o.minTrainRows ?? DEFAULT_MIN_TRAIN_ROWS, 'minTrainRows', 1, 2 ** 32 - 1);
  int(o.minValidRows ?? DEFAULT_MIN_VALID_ROWS, 'minValidRows', 1, 2 ** 32 - 1);
  const minTrain = o.minTrainRows ?? DEFAULT_MIN_TRAIN_ROWS;
  if (o.scheme === 'walk-forward' && o.window.kind === 'rolling' && o.window.size < minTrain) {
    throw new UsageError(`rolling window of ${o.window.size} bars is shorter than the ${minTrain} training rows a fold needs`,
      `use rolling:${minTrain} or longer, or an expanding window`);
  }
}

/** Positions of `rows` whose value lies in [lo, hi] (both inclusive), as a new array. */
function between(rows: Uint32Array, lo: number, hi: number): Uint32Array {
  const from = lowerBound(rows, lo);
  const to = lowerBound(rows, hi + 1);
  return rows.slice(from, Math.max(from, to));
}

function concat(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Walk-forward splits: the rows are cut into `folds + 1` equal blocks (the first takes the remainder); fold k
 * validates on block k + 1 and trains on the rows before it whose label window ends before the block starts
 * (expanding), or on the last `size` bars of those (rolling).
 */
export function walkForwardSplits(rows: Uint32Array, o: CvOptions): Split[] {
  const n = rows.length;
  const block = Math.floor(n / (o.folds + 1));
  const splits: Split[] = [];
  for (let k = 0; k < o.folds; k++) {
    const start = n - (o.folds - k) * block;
    const valid = rows.slice(start, start + block);
    if (valid.length === 0) {
      splits.push({ train: new Uint32Array(0), valid });
      continue;
    }
    const a = valid[0];
    const lastTrain = a - o.horizon - 1;
    const firstTrain = o.window.kind === 'rolling' ? lastTrain - o.window.size + 1 : 0;
    splits.push({ train: lastTrain < 0 ? new Uint32Array(0) : between(rows, Math.max(0, firstTrain), lastTrain), valid });
  }
  return splits;
}

/**
 * Purged k-fold splits: `folds` contiguous validation blocks (the first `n mod folds` one row longer); each trains
 * on every row whose label window does not overlap the block's, minus `embargo` bars after the block.
 */
export function purgedKFoldSplits(rows: Uint32Array, o: CvOptions): Split[] {
  const n = rows.length;
  const base = Math.floor(n / o.folds);
  const extra = n % o.folds;
  const splits: Split[] = [];
  let start = 0;
  for (let k = 0; k < o.folds; k++) {
    const size = base + (k < extra ? 1 : 0);
    const valid = rows.slice(start, start + size);
    start += size;
    if (valid.length === 0) {
      splits.push({ train: new Uint32Array(0), valid });
      continue;
    }
    const a = valid[0];
    const b = valid[valid.length - 1];
    const before = a - o.horizon - 1 >= 0 ? between(rows, 0, a - o.horizon - 1) : new Uint32Array(0);
    const after = rows.slice(lowerBound(rows, b + o.horizon + o.embargo + 1));
    splits.push({ train: concat(before, after), valid });
  }
  return splits;
}

function splitsOf(rows: Uint32Array, o: CvOptions): Split[] {
  return o.scheme === 'walk-forward' ? walkForwardSplits(rows, o) : purgedKFoldSplits(rows, o);
}

function splitsFit(splits: Split[], minTrain: number, minValid: number): boolean {
  return splits.every((s) => s.train.length >= minTrain && s.valid.length >= minValid);
}

/**
 * Fewest gap-free labelled rows for which every fold of `o` has at least the minimum training and validation
 * rows (what a "too few bars" error asks for).
 */
export function minimumRows(o: CvOptions): number {
  const minTrain = o.minTrainRows ?? DEFAULT_MIN_TRAIN_ROWS;
  const minValid = o.minValidRows ?? DEFAULT_MIN_VALID_ROWS;
  const fits = (n: number): boolean => splitsFit(splitsOf(Uint32Array.from({ length: n }, (_, i) => i), o), minTrain, minValid);
  let hi = Math.max(16, (o.folds + 1) * (minValid + minTrain) + 2 * o.horizon + o.embargo);
  while (!fits(hi)) {
    hi *= 2;
    if (hi > 2 ** 32) throw new UsageError('no number of bars satisfies these cross-validation options', 'check --folds, --window and --horizon');
  }
  // fold sizes grow with n, so a bisection between 0 (never fits) and a fitting n finds the threshold
  let lo = 0;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Cross-validation splits of `rows` (ascending labelled positions). Throws `UsageError` for bad options and
 * `DataError` when a fold would get fewer than the minimum rows, saying how many labelled rows are needed.
 */
export function makeSplits(rows: Uint32Array, o: CvOptions): Split[] {
  checkCvOptions(o);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i] <= rows[i - 1]) throw new DataError(`row positions must be strictly ascending (position ${rows[i]} follows ${rows[i - 1]})`, 'pass the labelled rows in time order');
  }
  const splits = splitsOf(rows, o);
  if (!splitsFit(splits, o.minTrainRows ?? DEFAULT_MIN_TRAIN_ROWS, o.minValidRows ?? DEFAULT_MIN_VALID_ROWS)) {
    const need = minimumRows(o);
    throw new DataError(
      `too few bars for ${o.folds} ${o.scheme} folds with horizon ${o.horizon}${o.scheme === 'purged-kfold' ? ` and embargo ${o.embargo}` : ''}: ` +
        `${rows.length} labelled rows are available for cross-validation, at least ${need} are needed`,
      'collect more bars, or lower --folds, --horizon, --embargo or --test-size',
    );
  }
  return splits;
}

/** The development rows and the held-out test tail. */
export interface HoldOut {
  /** Rows used for cross-validation and the final fit: every label window ends before the first test row. */
  development: Uint32Array;
  /** The last `round(testSize * rows)` labelled rows (empty when testSize is 0). */
  test: Uint32Array;
}

/**
 * Split off the test tail: the last `testSize` share of the labelled rows, with the same purge before it as
 * before a validation block. `testSize` in [0, 0.9].
 */
export function holdOutTail(rows: Uint32Array, testSize: number, horizon: number): HoldOut {
  if (!(testSize >= 0 && testSize <= 0.9)) throw new UsageError(`test size ${testSize} is invalid`, 'test size must be a fraction in [0, 0.9]');
  const nTest = Math.round(testSize * rows.length);
  if (nTest === 0) return { development: rows.slice(), test: new Uint32Array(0) };
  const test = rows.slice(rows.length - nTest);
  const cut = test[0] - horizon - 1;
  return { development: cut < 0 ? new Uint32Array(0) : between(rows, 0, cut), test };
}

/**
 * True when some training row's label window [t, t + horizon] overlaps some validation row's window, or a
 * training row falls within `embargo` bars after a validation row's window. The reference check for tests and
 * audits (O(n log n)).
 */
export function leaks(split: Split, horizon: number, embargo = 0): boolean {
  const { valid } = split;
  for (const t of split.train) {
    // the nearest validation rows on either side decide overlap
    const i = lowerBound(valid, t);
    if (i < valid.length && valid[i] <= t + horizon) return true;
    if (i > 0 && t <= valid[i - 1] + horizon + embargo) return true;
  }
  return false;
}
