import { logPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

function logReturn(logClose: Float64Array, k: number, lag: number): Float64Array {
  const out = nanArray(logClose.length, k + lag);
  for (let i = k + lag; i < logClose.length; i++) out[i] = logClose[i - lag] - logClose[i - lag - k];
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
      compute: (ctx, [k]) => logReturn(logPrice(ctx, 'close'), k, 0),
    },
    {
      prefix: 'logret_lag',
      group: 'returns',
      inputs: ['close'],
      params: [periodParam('bars'), periodParam('lag')],
      describe: ([k, l]) => `log return over ${k} bars lagged by ${l} bars, ln(C_(t-${l}) / C_(t-${l}-${k}))`,
      lookback: ([k, l]) => k + l,
      compute: (ctx, [k, l]) => logReturn(logPrice(ctx, 'close'), k, l),
    },
  ],
};
