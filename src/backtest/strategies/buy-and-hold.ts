import type { RuleStrategy } from './strategy.js';

/** Buy and hold: long from the first bar's close (filled at the second bar's open) to the end. */
export const buyAndHold: RuleStrategy = {
  name: 'buy-and-hold',
  description: 'long from the second bar open to the last close',
  params: {},
  warmupBars: () => 0,
  signals: (series) => new Float64Array(series.length).fill(1),
};
