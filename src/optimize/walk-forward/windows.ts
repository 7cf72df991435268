/**
 * The windows of a walk-forward optimisation (`pulse optimize --walk-forward N`).
 *
 * The labelled rows of the series (bar positions whose label is known, warm-up excluded) are cut into N + 1
 * consecutive segments of equal bar count, the first taking the remainder (as the walk-forward folds of
 * src/evaluation/splits.ts cut theirs). Window k (1..N) is evaluated out of sample on segment k and optimised in
 * sample on
 * - `rolling` (the default): segment k - 1 alone, so every window sees as many bars (the first, with the
 *   remainder, a few more);
 * - `anchored`: segments 0..k - 1, every bar before its out-of-sample segment.
 *
 * The label of row t looks `horizon` bars ahead (its window is [t, t + horizon]), so the in-sample rows whose label
 * window reaches the first out-of-sample bar are purged: an in-sample row t is kept only when t + horizon < the
 * first out-of-sample row, the rule of the held-out test tail. No in-sample label is computed from an
 * out-of-sample price.
 */
import { lowerBound } from '../../core/arrays.js';

/** How in-sample segments are chosen: the segment before the out-of-sample one, or every bar before it. */
export type WalkForwardScheme = 'rolling' | 'anchored';

/** One window: ascending bar positions of its in-sample (purged) and out-of-sample rows. */
export interface WalkForwardWindow {
  /** 1-based. */
  index: number;
  inSample: Uint32Array;
  outOfSample: Uint32Array;
  /** In-sample rows dropped because their label window reaches the out-of-sample segment. */
  purged: number;
}

/** Options of {@link walkForwardWindows}. */
export interface WalkForwardWindowOptions {
  /** N, the number of windows (at least 1). */
  windows: number;
  scheme: WalkForwardScheme;
  /** Label horizon in bars (>= 0): the purge before each out-of-sample segment. */
  horizon: number;
}

/**
 * The N windows of `rows` (ascending labelled bar positions), see the module note. With fewer rows than N + 1
 * segments need, segments are empty; the caller checks the sizes it needs.
 */
export function walkForwardWindows(rows: Uint32Array, o: WalkForwardWindowOptions): WalkForwardWindow[] {
  const n = rows.length;
  const block = Math.floor(n / (o.windows + 1));
  // segment j (1..N) is rows [n - (N + 1 - j) * block, n - (N - j) * block); segment 0 is everything before
  const start = (j: number) => (j === 0 ? 0 : n - (o.windows + 1 - j) * block);
  const out: WalkForwardWindow[] = [];
  for (let k = 1; k <= o.windows; k++) {
    const outOfSample = rows.slice(start(k), start(k + 1));
    const from = o.scheme === 'rolling' ? start(k - 1) : 0;
    const raw = rows.subarray(from, start(k));
    // keep in-sample rows t with t + horizon < first out-of-sample row
    const limit = outOfSample.length > 0 ? outOfSample[0] - o.horizon : Infinity;
    const kept = limit === Infinity ? raw.length : lowerBound(raw, limit);
    out.push({ index: k, inSample: raw.slice(0, kept), outOfSample, purged: raw.length - kept });
  }
  return out;
}
