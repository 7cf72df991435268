import type { FeatureFamily, Indicator } from '../types.js';

const DAY_MS = 86_400_000;

/** Month 1..12 of a day count since 1970-01-01 (Hinnant's civil-from-days, no allocation). */
function monthOfDay(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return mp < 10 ? mp + 3 : mp - 9;
}

type Unit = 'dow' | 'hour' | 'month';

const texts: Record<Unit, string> = {
  dow: 'day of week of the bar open (UTC), Monday = 0, as angle 2 pi d/7',
  hour: 'time of day of the bar open (UTC), fractional hour h, as angle 2 pi h/24 (intraday bars only)',
  month: 'month of the bar open (UTC), January = 0, as angle 2 pi m/12',
};

/** `trig(2 pi k / period)` for k = 0..period-1 (the few distinct values of a calendar cycle). */
function table(period: number, trig: (x: number) => number): Float64Array {
  return Float64Array.from({ length: period }, (_, k) => trig((2 * Math.PI * k) / period));
}

function fillCalendar(time: Float64Array, unit: Unit, trig: (x: number) => number, out: Float64Array): void {
  if (unit === 'dow') {
    const t7 = table(7, trig);
    for (let i = 0; i < time.length; i++) {
      const d = (Math.floor(time[i] / DAY_MS) + 3) % 7;
      out[i] = t7[d < 0 ? d + 7 : d];
    }
  } else if (unit === 'month') {
    const t12 = table(12, trig);
    let lastDay = NaN;
    let value = 0;
    for (let i = 0; i < time.length; i++) {
      const day = Math.floor(time[i] / DAY_MS);
      if (day !== lastDay) {
        value = t12[monthOfDay(day) - 1];
        lastDay = day;
      }
      out[i] = value;
    }
  } else {
    const perMinute = table(1440, trig);
    for (let i = 0; i < time.length; i++) {
      const t = time[i];
      const ms = t - Math.floor(t / DAY_MS) * DAY_MS; // exact: integer milliseconds
      const minute = ms / 60_000;
      const whole = minute | 0;
      // whole minutes (every bar interval pulse knows) come from the table, anything else is computed
      out[i] = whole === minute ? perMinute[whole] : trig((2 * Math.PI * ms) / DAY_MS);
    }
  }
}

function cyclic(unit: Unit, fn: 'sin' | 'cos'): FeatureFamily {
  const trig = fn === 'sin' ? Math.sin : Math.cos;
  return {
    prefix: `${unit}_${fn}`,
    group: 'time',
    inputs: ['time'],
    params: [],
    intradayOnly: unit === 'hour',
    describe: () => `${fn} of the ${texts[unit]} (-1..1)`,
    lookback: () => 0,
    compute: (ctx) => {
      const out = new Float64Array(ctx.series.length);
      fillCalendar(ctx.series.time, unit, trig, out);
      return out;
    },
  };
}

/**
 * Calendar features of the bar open time (UTC) as sin/cos pairs so that the cycle wraps smoothly:
 * `dow_sin`/`dow_cos`, `month_sin`/`month_cos`, and for intraday intervals only `hour_sin`/`hour_cos`. Lookback 0.
 */
export const calendarIndicator: Indicator = {
  name: 'calendar',
  families: (['dow', 'hour', 'month'] as const).flatMap((u) => [cyclic(u, 'sin'), cyclic(u, 'cos')]),
};
