import { averageTrueRange, closeEma } from '../kernels/shared.js';
import { multiplierParam, nanArray, periodParam, type FeatureFamily, type Indicator } from '../types.js';

function channel(sign: 1 | -1): FeatureFamily {
  const side = sign > 0 ? 'upper' : 'lower';
  return {
    prefix: `kc_${side}`,
    group: 'volatility',
    inputs: ['high', 'low', 'close'],
    params: [periodParam(), multiplierParam()],
    describe: ([n, k]) => `Keltner ${side} channel EMA${n}(C) ${sign > 0 ? '+' : '-'} ${k} ATR${n} (price units)`,
    lookback: ([n]) => n,
    compute: (ctx, [n, k]) => {
      const mid = closeEma(ctx, n);
      const atr = averageTrueRange(ctx, n);
      const out = nanArray(mid.length, n);
      for (let i = n; i < out.length; i++) out[i] = mid[i] + sign * k * atr[i];
      return out;
    },
  };
}

/**
 * Keltner channels: `kc_middle_N` = EMA_N(C) (lookback N-1), `kc_upper_N_K` / `kc_lower_N_K` =
 * EMA_N(C) +- K ATR_N (price units; lookback N, the ATR's).
 */
export const keltnerIndicator: Indicator = {
  name: 'keltner',
  families: [
    {
      prefix: 'kc_middle',
      group: 'volatility',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `Keltner middle line EMA${n}(C) (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => closeEma(ctx, n),
    },
    channel(1),
    channel(-1),
  ],
};
