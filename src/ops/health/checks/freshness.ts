/**
 * Data freshness: how many trading bars each stored series is behind its calendar, from each series' newest bar
 * (`seriesFreshness`: no bars read, so the check costs the same on a series of millions of bars).
 */
import { highIsBad, result, type HealthCheck } from '../check.js';

export const freshnessCheck: HealthCheck = {
  name: 'freshness',
  description: 'each stored series against its calendar: trading bars closed since its newest bar (series on the none calendar are not judged)',
  async run({ store, policy, now }) {
    // the calendars load when the check runs, after the store check's worker has started
    const { seriesFreshness } = await import('../../../market/inventory.js');
    const series = await seriesFreshness(store, now);
    if (series.length === 0) return [result('freshness', 'warn', 'no bars stored yet; collect some (pulse collect)', { series: 0 })];
    return series.map((s) => {
      const subject = `${s.symbol} ${s.interval}`;
      if (s.behindBars === null) return result('freshness', 'ok', `${subject}: on the none calendar, freshness not judged`, {}, subject);
      const state = highIsBad(s.behindBars, policy.staleWarnBars, policy.staleCriticalBars);
      const message = s.behindBars === 0 ? `${subject}: up to date (${s.calendar})` : `${subject}: ${s.behindBars} bar(s) behind on ${s.calendar}; run pulse collect`;
      return result('freshness', state, message, { behindBars: s.behindBars }, subject);
    });
  },
};
