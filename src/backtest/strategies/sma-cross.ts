import { UsageError } from '../../core/errors.js';
import { simpleMovingAverage } from './series-math.js';
import type { RuleStrategy } from './strategy.js';

/**
 * Moving-average crossover: long while SMA(fast) of the close is above SMA(slow), short while below, flat when
 * equal and during the `slow`-bar warm-up.
 */
export const smaCross: RuleStrategy = {
  name: 'sma-cross',
  description: 'long while SMA(fast) > SMA(slow), short while below',
  params: {
    fast: { default: 10, min: 1, max: 10_000, integer: true, description: 'fast SMA period in bars' },
    slow: { default: 20, min: 2, max: 10_000, integer: true, description: 'slow SMA period in bars' },
  },
  warmupBars: (p) => p.slow - 1,
  signals: (series, p) => {
    if (p.fast >= p.slow) {
      throw new UsageError(`sma-cross needs fast < slow, got fast ${p.fast} and slow ${p.slow}`, 'e.g. fast=10,slow=20');
    }
    const fast = simpleMovingAverage(series.close, p.fast);
    const slow = simpleMovingAverage(series.close, p.slow);
    const out = new Float64Array(series.length);
    for (let i = 0; i < series.length; i++) {
      const f = fast[i];
      const s = slow[i];
      out[i] = f > s ? 1 : f < s ? -1 : 0;
    }
    return out;
  },
};
