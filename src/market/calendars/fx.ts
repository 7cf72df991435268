/**
 * `fx`: the spot currency market, open from Sunday 17:00 to Friday 17:00 New York time (22:00 UTC, 21:00 UTC
 * while the US is on summer time). The week's open and close fall on the same side of every US DST change (the
 * changes happen on Sunday mornings), so each trading week is one session. Bars stay on the UTC grid of
 * interval.ts: an intraday slot trades when it overlaps the week's session (so a 1h series runs from Sunday 22:00
 * to Friday 21:00 UTC in winter, 21:00 to 20:00 in summer); daily bars are Monday to Friday (UTC dates). Market
 * holidays (Christmas, New Year) are not modelled: liquidity thins but the interbank market does not close.
 */
import { floorToInterval, INTERVAL_MS, type Interval } from '../../core/interval.js';
import { BarGrid } from './bar-grid.js';
import { CALENDAR_FROM, CALENDAR_TO, DAY, isPeriodInterval, MINUTE, weekdayOf } from './calendar.js';
import { GridCalendar } from './grid-calendar.js';
import { localToUtc, zoneOffsets } from './zone.js';

const NEW_YORK = 'America/New_York';
/** Local open and close of the week: 17:00 New York time. */
const ROLL_MINUTE = 17 * 60;

/** The FX calendar (see the module note). */
export class FxCalendar extends GridCalendar {
  readonly utcGrid = true;
  private weeks: { open: Float64Array; close: Float64Array } | undefined;

  constructor() {
    super('fx', NEW_YORK);
  }

  /** Each week's session: Sunday 17:00 to Friday 17:00 New York time, as UTC instants. */
  get sessions(): { open: Float64Array; close: Float64Array } {
    if (this.weeks) return this.weeks;
    const zone = zoneOffsets(NEW_YORK);
    const open: number[] = [];
    const close: number[] = [];
    let sunday = CALENDAR_FROM / DAY;
    while (weekdayOf(sunday) !== 6) sunday--;
    for (; sunday * DAY < CALENDAR_TO; sunday += 7) {
      open.push(localToUtc(zone, sunday * DAY + ROLL_MINUTE * MINUTE));
      close.push(localToUtc(zone, (sunday + 5) * DAY + ROLL_MINUTE * MINUTE));
    }
    this.weeks = { open: Float64Array.from(open), close: Float64Array.from(close) };
    return this.weeks;
  }

  protected buildGrid(interval: Exclude<Interval, '1wk' | '1mo'>): BarGrid {
    if (interval === '1d') {
      const keys: number[] = [];
      for (let d = CALENDAR_FROM / DAY; d * DAY < CALENDAR_TO; d++) if (weekdayOf(d) < 5) keys.push(d * DAY);
      return new BarGrid(Float64Array.from(keys), new Int32Array(keys.length).fill(1), DAY, this.name);
    }
    const step = INTERVAL_MS[interval];
    const { open, close } = this.sessions;
    const first = new Float64Array(open.length);
    const count = new Int32Array(open.length);
    for (let w = 0; w < open.length; w++) {
      first[w] = Math.floor(open[w] / step) * step;
      count[w] = Math.ceil(close[w] / step) - first[w] / step;
    }
    return new BarGrid(first, count, step, this.name);
  }

  floor(ts: number, interval: Interval): number {
    return floorToInterval(ts, interval);
  }

  barCloseTime(key: number, interval: Interval): number {
    const end = this.next(key, interval);
    if (isPeriodInterval(interval)) return end;
    // The week's last bars end at its close (Friday 17:00 New York).
    const { open, close } = this.sessions;
    let lo = 0;
    let hi = open.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (open[mid] < end) lo = mid + 1;
      else hi = mid;
    }
    const w = lo - 1;
    return w >= 0 && key < close[w] && close[w] < end ? close[w] : end;
  }
}
