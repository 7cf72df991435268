import { UsageError } from '../../core/errors.js';
import { wilderRsi } from './series-math.js';
import type { RuleStrategy } from './strategy.js';

/**
 * RSI mean reversion: go long when Wilder's RSI(period) closes below `lower` and stay long until it closes above
 * `exit`; go short when it closes above `upper` and stay short until it closes below `exit`.
 */
export const rsiReversion: RuleStrategy = {
  name: 'rsi-reversion',
  description: 'long below RSI lower until RSI > exit, short above upper until RSI < exit',
  params: {
    period: { default: 14, min: 2, max: 1000, integer: true, description: 'RSI period in bars' },
    lower: { default: 30, min: 0, max: 100, integer: false, description: 'oversold level that opens a long' },
    upper: { default: 70, min: 0, max: 100, integer: false, description: 'overbought level that opens a short' },
    exit: { default: 50, min: 0, max: 100, integer: false, description: 'level that closes either side' },
  },
  warmupBars: (p) => p.period,
  signals: (series, p) => {
    if (!(p.lower <= p.exit && p.exit <= p.upper && p.lower < p.upper)) {
      throw new UsageError(
        `rsi-reversion needs lower <= exit <= upper with lower < upper, got ${p.lower}, ${p.exit}, ${p.upper}`,
        'e.g. lower=30,exit=50,upper=70',
      );
    }
    const rsi = wilderRsi(series.close, p.period);
    const out = new Float64Array(series.length);
    let state = 0;
    for (let i = 0; i < series.length; i++) {
      const r = rsi[i];
      if (r === r) {
        if (state === 1 && r > p.exit) state = 0;
        else if (state === -1 && r < p.exit) state = 0;
        if (state === 0) state = r < p.lower ? 1 : r > p.upper ? -1 : 0;
      }
      out[i] = state;
    }
    return out;
  },
};
