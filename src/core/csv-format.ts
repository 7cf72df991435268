/**
 * Text forms for CSV files pulse writes (bar exports, feature matrices, trades, equity): ISO-8601 UTC times and
 * shortest round-trip numbers, fast enough for millions of rows.
 */

/** A number as its shortest round-trip decimal text; NaN as an empty field. */
export function formatCsvNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return String(x);
}

const MS_PER_DAY = 86_400_000;
/** The last day formatted and its `YYYY-MM-DDT` prefix: consecutive bars mostly share a day. */
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

function pad2(x: number): string {
  return x < 10 ? `0${x}` : String(x);
}

/**
 * A time in ms since the Unix epoch as ISO-8601 UTC with milliseconds (exactly `Date.prototype.toISOString`);
 * an invalid time as an empty field. The date part is formatted once per day, which makes long intraday curves
 * several times faster to write than a `Date` per row.
 */
export function formatCsvTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return '';
  const t = Math.trunc(ms);
  const day = Math.floor(t / MS_PER_DAY);
  // Years outside 0000..9999 use the extended +/-YYYYYY form: leave those to Date.
  if (day < -719_528 || day >= 2_932_897) return new Date(t).toISOString();
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
  }
  let rest = t - day * MS_PER_DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${cachedDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
