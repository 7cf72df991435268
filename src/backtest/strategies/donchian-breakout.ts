import { UsageError } from '../../core/errors.js';
import { priorHighest, priorLowest } from './series-math.js';
import type { RuleStrategy } from './strategy.js';

/**
 * Donchian channel breakout (turtle style): go long when the close breaks above the highest high of the previous
 * `entry` bars, leave when it falls below the lowest low of the previous `exit` bars; shorts mirror it.
 */
export const donchianBreakout: RuleStrategy = {
  name: 'donchian-breakout',
  description: 'long on a close above the prior entry-bar high until a close below the prior exit-bar low; shorts mirror',
  params: {
    entry: { default: 20, min: 1, max: 10_000, integer: true, description: 'breakout channel length in bars' },
    exit: { default: 10, min: 1, max: 10_000, integer: true, description: 'exit channel length in bars' },
  },
  warmupBars: (p) => p.entry,
  signals: (series, p) => {
    if (p.exit > p.entry) {
      throw new UsageError(`donchian-breakout needs exit <= entry, got entry ${p.entry} and exit ${p.exit}`, 'e.g. entry=20,exit=10');
    }
    const { close, high, low } = series;
    const upEntry = priorHighest(high, p.entry);
    const downEntry = priorLowest(low, p.entry);
    const upExit = priorHighest(high, p.exit);
    const downExit = priorLowest(low, p.exit);
    const out = new Float64Array(series.length);
    let state = 0;
    for (let i = 0; i < series.length; i++) {
      const c = close[i];
      if (state === 1 && c < downExit[i]) state = 0;
      else if (state === -1 && c > upExit[i]) state = 0;
      if (state === 0) state = c > upEntry[i] ? 1 : c < downEntry[i] ? -1 : 0;
      out[i] = state;
    }
    return out;
  },
};
