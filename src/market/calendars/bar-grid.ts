/**
 * A table of trading bars in groups (sessions, FX weeks, or single daily keys): group g has `count[g]` bars
 * opening at `first[g] + k * step`. Prefix sums of the counts make ordinals a binary search plus arithmetic,
 * the core of every calendar with a schedule (exchange.ts, fx.ts).
 */
import { DataError } from '../../core/errors.js';

/** Trading bars of one interval on one calendar, grouped (see the module note). */
export class BarGrid {
  /** prefix[g] = bars in groups [0, g); length groups + 1. */
  readonly prefix: Float64Array;
  /** Total bars in the table. */
  readonly total: number;

  /**
   * @param first open key of each group's first bar, ascending
   * @param count bars of each group (>= 0)
   * @param step ms between consecutive bars of a group
   * @param calendar name for error messages
   */
  constructor(readonly first: Float64Array, readonly count: Int32Array, readonly step: number, private readonly calendar: string) {
    const n = first.length;
    this.prefix = new Float64Array(n + 1);
    for (let g = 0; g < n; g++) this.prefix[g + 1] = this.prefix[g] + count[g];
    this.total = this.prefix[n];
  }

  /** Index of the last group whose first bar opens before `ts` (strictly), or -1. */
  groupBefore(ts: number): number {
    const f = this.first;
    let lo = 0;
    let hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (f[mid] < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Bars opening before `ts` (the trading ordinal of `ts`). */
  ordinal(ts: number): number {
    const g = this.groupBefore(ts);
    if (g < 0) return 0;
    const k = Math.ceil((ts - this.first[g]) / this.step);
    const c = this.count[g];
    return this.prefix[g] + (k < c ? k : c);
  }

  /**
   * Open key of the bar with an ordinal.
   * @throws DataError for an ordinal outside the table (before 1970 or after 2100).
   */
  barAt(ordinal: number): number {
    if (!(ordinal >= 0 && ordinal < this.total)) {
      throw new DataError(`bar ${ordinal} is outside the ${this.calendar} calendar's range`, 'calendars with a schedule cover 1970-01-01 to 2100-12-31');
    }
    const p = this.prefix;
    let lo = 0;
    let hi = this.first.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (p[mid] <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    return this.first[lo] + (ordinal - p[lo]) * this.step;
  }

  /** True when a bar of the table opens exactly at `ts`. */
  isBar(ts: number): boolean {
    const g = this.groupBefore(ts + 1);
    if (g < 0) return false;
    const d = ts - this.first[g];
    return d % this.step === 0 && d / this.step < this.count[g];
  }

  /** Write `n` consecutive bar keys from ordinal `firstOrdinal` into out[0..n). */
  fill(firstOrdinal: number, n: number, out: Float64Array): void {
    if (n <= 0) return;
    if (firstOrdinal < 0 || firstOrdinal + n > this.total) this.barAt(firstOrdinal < 0 ? firstOrdinal : firstOrdinal + n - 1); // throws the range error
    const p = this.prefix;
    let lo = 0;
    let hi = this.first.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (p[mid] <= firstOrdinal) lo = mid;
      else hi = mid - 1;
    }
    let g = lo;
    let k = firstOrdinal - p[g];
    for (let i = 0; i < n; i++) {
      while (k >= this.count[g]) {
        g++;
        k = 0;
      }
      out[i] = this.first[g] + k * this.step;
      k++;
    }
  }
}
