import { extremeIndex } from '../kernels/shared.js';
import { nanArray, periodParam, type FeatureFamily, type Indicator } from '../types.js';

type Side = 'up' | 'down' | 'osc';

function aroonFamily(side: Side, text: string): FeatureFamily {
  const prefix = `aroon_${side}`;
  return {
    prefix,
    group: 'trend',
    inputs: prefix === 'aroon_up' ? ['high'] : prefix === 'aroon_down' ? ['low'] : ['high', 'low'],
    params: [periodParam()],
    describe: ([n]) => text.replaceAll('N', String(n)),
    lookback: ([n]) => n,
    compute: (ctx, [n]) => {
      // the window spans N+1 bars (TA-Lib), so bars-since ranges over 0..N
      const hi = extremeIndex(ctx, n + 1, true);
      const lo = extremeIndex(ctx, n + 1, false);
      const out = nanArray(hi.length, n);
      const scale = 100 / n;
      // one plain loop per side (no per-row callback)
      if (side === 'up') for (let i = n; i < out.length; i++) out[i] = (n - (i - hi[i])) * scale;
      else if (side === 'down') for (let i = n; i < out.length; i++) out[i] = (n - (i - lo[i])) * scale;
      else for (let i = n; i < out.length; i++) out[i] = (n - (i - hi[i])) * scale - (n - (i - lo[i])) * scale;
      return out;
    },
  };
}

/**
 * Aroon over a window of N+1 bars (TA-Lib): `aroon_up_N` = 100 (N - bars since the highest high)/N,
 * `aroon_down_N` likewise for the lowest low (0-100; ties go to the most recent bar), `aroon_osc_N` = up - down.
 * Lookback N.
 */
export const aroonIndicator: Indicator = {
  name: 'aroon',
  families: [
    aroonFamily('up', 'Aroon up 100 (N - bars since the highest high of the last N+1 bars)/N (0-100)'),
    aroonFamily('down', 'Aroon down 100 (N - bars since the lowest low of the last N+1 bars)/N (0-100)'),
    aroonFamily('osc', 'Aroon oscillator: Aroon up - Aroon down over N (-100..100)'),
  ],
};
