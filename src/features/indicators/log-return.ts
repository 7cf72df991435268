import { nanArray, periodParam, type Indicator } from '../types.js';

function logReturn(close: Float64Array, k: number, lag: number): Float64Array {
  const out = nanArray(close.length);
  for (let i = k + lag; i < close.length; i++) out[i] = Math.log(close[i - lag] / close[i - lag - k]);
  return out;
}

/**
 * Log returns: `logret_K` = ln(C_t / C_(t-K)) (lookback K) and its lags `logret_lag_K_L` = logret_K at t-L
 * (lookback K+L).
 */
export const logReturnIndicator: Indicator = {
  name: 'log-return',
  families: [
    {
      prefix: 'logret',
      group: 'returns',
      inputs: ['close'],
      params: [periodParam('bars')],
      describe: ([k]) => `log return over ${k} bars ln(C_t / C_(t-${k}))`,
      lookback: ([k]) => k,
      compute: (ctx, [k]) => logReturn(ctx.series.close, k, 0),
    },
    {
      prefix: 'logret_lag',
      group: 'returns',
      inputs: ['close'],
      params: [periodParam('bars'), periodParam('lag')],
      describe: ([k, l]) => `log return over ${k} bars lagged by ${l} bars, ln(C_(t-${l}) / C_(t-${l}-${k}))`,
      lookback: ([k, l]) => k + l,
      compute: (ctx, [k, l]) => logReturn(ctx.series.close, k, l),
    },
  ],
};
