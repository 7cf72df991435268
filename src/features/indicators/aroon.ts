import { extremeIndex } from '../kernels/shared.js';
import { nanArray, periodParam, type FeatureFamily, type Indicator } from '../types.js';

function aroonFamily(prefix: string, text: string, f: (up: number, down: number) => number): FeatureFamily {
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
      for (let i = n; i < out.length; i++) {
        const up = (100 * (n - (i - hi[i]))) / n;
        const down = (100 * (n - (i - lo[i]))) / n;
        out[i] = f(up, down);
      }
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
    aroonFamily('aroon_up', 'Aroon up 100 (N - bars since the highest high of the last N+1 bars)/N (0-100)', (u) => u),
    aroonFamily('aroon_down', 'Aroon down 100 (N - bars since the lowest low of the last N+1 bars)/N (0-100)', (_u, d) => d),
    aroonFamily('aroon_osc', 'Aroon oscillator: Aroon up - Aroon down over N (-100..100)', (u, d) => u - d),
  ],
};
