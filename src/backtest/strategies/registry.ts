/** The rule strategies pulse ships, by name (`--strategy NAME`). */
import { UsageError } from '../../core/errors.js';
import { buyAndHold } from './buy-and-hold.js';
import { donchianBreakout } from './donchian-breakout.js';
import { rsiReversion } from './rsi-reversion.js';
import { smaCross } from './sma-cross.js';
import type { RuleStrategy } from './strategy.js';

/** Names of the built-in rule strategies. */
export type StrategyName = 'buy-and-hold' | 'sma-cross' | 'rsi-reversion' | 'donchian-breakout';

/** Every built-in rule strategy by name. */
export const STRATEGIES: Record<StrategyName, RuleStrategy> = {
  'buy-and-hold': buyAndHold,
  'sma-cross': smaCross,
  'rsi-reversion': rsiReversion,
  'donchian-breakout': donchianBreakout,
};

/** Look up a strategy by name; a UsageError lists the known names. */
export function getStrategy(name: string): RuleStrategy {
  if (Object.hasOwn(STRATEGIES, name)) return STRATEGIES[name as StrategyName];
  throw new UsageError(`unknown strategy "${name}"`, `use one of: ${Object.keys(STRATEGIES).join(', ')}`);
}
