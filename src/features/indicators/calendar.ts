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

type Phase = (t: number) => number; // position in the cycle, [0, 1)

const phases: Record<'dow' | 'hour' | 'month', { text: string; phase: Phase; intraday: boolean }> = {
  dow: {
    text: 'day of week of the bar open (UTC), Monday = 0, as angle 2 pi d/7',
    phase: (t) => (((Math.floor(t / DAY_MS) + 3) % 7) + 7) % 7 / 7,
    intraday: false,
  },
  hour: {
    text: 'time of day of the bar open (UTC), fractional hour h, as angle 2 pi h/24 (intraday bars only)',
    phase: (t) => (((t % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS,
    intraday: true,
  },
  month: {
    text: 'month of the bar open (UTC), January = 0, as angle 2 pi m/12',
    phase: (t) => (monthOfDay(Math.floor(t / DAY_MS)) - 1) / 12,
    intraday: false,
  },
};

function cyclic(unit: keyof typeof phases, fn: 'sin' | 'cos'): FeatureFamily {
  const { text, phase, intraday } = phases[unit];
  const trig = fn === 'sin' ? Math.sin : Math.cos;
  return {
    prefix: `${unit}_${fn}`,
    group: 'time',
    inputs: ['time'],
    params: [],
    intradayOnly: intraday,
    describe: () => `${fn} of the ${text} (-1..1)`,
    lookback: () => 0,
    compute: (ctx) => {
      const time = ctx.series.time;
      const out = new Float64Array(time.length);
      for (let i = 0; i < time.length; i++) out[i] = trig(2 * Math.PI * phase(time[i]));
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
