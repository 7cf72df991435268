/**
 * Reading timestamps from text (CSV cells, source fields) without allocating: ISO-8601 and plain dates, epoch
 * numbers, wall times in an IANA zone. Used by the CSV source; see {@link TimestampReader}.
 */
import { UsageError } from '../core/errors.js';

const EPOCH = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads timestamps from text without allocating: ISO-8601 and plain dates (`YYYY-MM-DD`, `/` or `.` between the
 * parts, `YYYYMMDD`), optional `T`/space time `HH:MM[:SS[.fff]]`, optional `Z`/`±HH[:MM]`/`±HHMM`/`±HH`, or epoch
 * numbers (below 1e11 seconds, below 1e14 ms, below 1e17 µs, else ns). Times without an offset are wall time in
 * the zone given (IANA; UTC when omitted), converted with offsets cached per UTC hour. With `dateKey` the
 * calendar date as written is returned at 00:00 UTC (time and offset ignored; epoch numbers use their UTC date),
 * the keying of daily and coarser bars. Unreadable or impossible values (Feb 30, 24:00) give NaN.
 */
export class TimestampReader {
  private readonly zone: string | null;
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat | null;

  /** @throws UsageError for an unknown time zone. */
  constructor(tz: string | undefined, private readonly dateKey: boolean) {
    const zone = tz === undefined || /^(utc|gmt|z|etc\/utc)$/i.test(tz.trim()) ? null : tz.trim();
    this.zone = zone;
    if (zone === null) {
      this.format = null;
      return;
    }
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new UsageError(`unknown time zone "${tz}"`, 'use an IANA zone name such as America/New_York or Europe/London');
    }
  }

  /** Offset (ms, local - UTC) of the zone at the UTC instant `ts`. */
  private offsetAt(ts: number): number {
    const hour = Math.floor(ts / 3_600_000);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of (this.format as Intl.DateTimeFormat).formatToParts(hour * 3_600_000)) p[part.type] = Number(part.value);
      off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hour * 3_600_000;
      this.offsets.set(hour, off);
    }
    return off;
  }

  /** UTC ms of a wall-clock time in the zone. */
  private fromLocal(local: number): number {
    if (this.zone === null) return local;
    const guess = local - this.offsetAt(local);
    const off = this.offsetAt(guess);
    return local - off;
  }

  /** The timestamp (ms, UTC) in text[s, e), surrounding whitespace ignored; NaN when unreadable. */
  read(text: string, s: number, e: number): number {
    while (s < e && text.charCodeAt(s) <= 32) s++;
    while (e > s && text.charCodeAt(e - 1) <= 32) e--;
    const sep = text.charCodeAt(s + 4);
    // '-', '.' or '/' after four digits: a calendar date; anything else is read as an epoch number.
    if (e - s >= 10 && (sep === 45 || sep === 46 || sep === 47)) return this.readCalendar(text, s, e);
    return this.readNumber(text, s, e);
  }

  private readNumber(text: string, s: number, e: number): number {
    if (e - s === 8) {
      const y = digits(text, s, 4);
      const m = digits(text, s + 4, 2);
      const d = digits(text, s + 6, 2);
      if (y >= 1900 && y <= 2999 && validDate(y, m, d)) return this.dateKey ? civilDateMs(y, m, d) : this.fromLocal(civilDateMs(y, m, d));
    }
    let v = 0;
    let i = s;
    for (; i < e && i - s < 19; i++) {
      const k = text.charCodeAt(i) - 48;
      if (!(k >= 0 && k <= 9)) break;
      v = v * 10 + k;
    }
    if (i !== e || i === s) {
      const slice = text.slice(s, e);
      v = EPOCH.test(slice) ? Number(slice) : NaN;
      if (!Number.isFinite(v)) return NaN;
    }
    const a = Math.abs(v);
    const ms = a < 1e11 ? v * 1000 : a < 1e14 ? v : a < 1e17 ? v / 1e3 : v / 1e6;
    const t = Math.round(ms);
    return this.dateKey ? Math.floor(t / 86_400_000) * 86_400_000 : t;
  }

  /** YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][Z|±HH[:MM]] with -, / or . between date parts. */
  private readCalendar(text: string, s: number, e: number): number {
    const sep = text.charCodeAt(s + 4);
    if (text.charCodeAt(s + 7) !== sep) return NaN;
    const y = digits(text, s, 4);
    const mo = digits(text, s + 5, 2);
    const d = digits(text, s + 8, 2);
    if (!validDate(y, mo, d)) return NaN;
    const date = civilDateMs(y, mo, d);
    if (this.dateKey) return date; // the calendar date as written
    let i = s + 10;
    if (i === e) return this.fromLocal(date);
    const c = text.charCodeAt(i);
    if (c !== 84 && c !== 116 && c !== 32) return NaN; // T, t or space
    i++;
    const hh = digits(text, i, 2);
    if (text.charCodeAt(i + 2) !== 58) return NaN;
    const mm = digits(text, i + 3, 2);
    i += 5;
    let ss = 0;
    let frac = 0;
    if (i < e && text.charCodeAt(i) === 58) {
      ss = digits(text, i + 1, 2);
      i += 3;
      if (i < e && (text.charCodeAt(i) === 46 || text.charCodeAt(i) === 44)) {
        let scale = 100;
        for (i++; i < e; i++) {
          const k = text.charCodeAt(i) - 48;
          if (k < 0 || k > 9) break;
          frac += k * scale;
          scale /= 10;
        }
      }
    }
    if (!(hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss <= 59)) return NaN;
    const local = date + hh * 3_600_000 + mm * 60_000 + ss * 1000 + Math.round(frac);
    if (i === e) return this.fromLocal(local);
    const z = text.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === e) return local;
    if (z !== 43 && z !== 45) return NaN;
    const oh = digits(text, i + 1, 2);
    let om = 0;
    const rest = e - (i + 3);
    if (rest === 3 && text.charCodeAt(i + 3) === 58) om = digits(text, i + 4, 2);
    else if (rest === 2) om = digits(text, i + 3, 2);
    else if (rest !== 0) return NaN;
    if (!(oh >= 0 && oh <= 23 && om >= 0 && om <= 59)) return NaN;
    return local - (z === 45 ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
}

/** Value of `n` ASCII digits at text[s..], or -1 if any is not a digit. */
function digits(text: string, s: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const k = text.charCodeAt(s + i) - 48;
    if (!(k >= 0 && k <= 9)) return -1;
    v = v * 10 + k;
  }
  return v;
}

/** True for a real Gregorian date (month 1-12, day within the month). */
function validDate(y: number, m: number, d: number): boolean {
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= dim;
}

/** ms since epoch of a proleptic Gregorian date at 00:00 UTC (days-from-civil, no Date object). */
export function civilDateMs(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (era * 146097 + doe - 719468) * 86_400_000;
}
