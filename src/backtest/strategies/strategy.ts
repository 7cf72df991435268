/**
 * The rule-strategy interface: a named, parameterised function from bars to signals (+1 long, -1 short, 0 flat,
 * decided at each bar's close and executed by the engine at the next open). Rule strategies serve as baselines
 * and as a way to backtest without a model. Each lives in its own file and is registered in registry.ts.
 */
import { UsageError } from '../../core/errors.js';
import type { BarSeries } from '../../core/bars.js';

/** One numeric parameter of a strategy, with its default and inclusive range. */
export interface StrategyParam {
  default: number;
  min: number;
  max: number;
  integer: boolean;
  description: string;
}

/** A rule strategy. `signals` must use only bars up to each index (no look-ahead). */
export interface RuleStrategy {
  name: string;
  description: string;
  params: Record<string, StrategyParam>;
  /** Bars before the first signal can be non-zero, for the given parameters. */
  warmupBars(params: Record<string, number>): number;
  /** Signals of the series' length for validated parameters. */
  signals(series: BarSeries, params: Record<string, number>): Float64Array;
}

/**
 * Fill defaults and validate user parameters against a strategy's declaration: unknown names, non-numbers, values
 * out of range and non-integers are UsageErrors that name the parameter and its range.
 */
export function resolveStrategyParams(strategy: RuleStrategy, given: Record<string, number> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(given)) {
    if (!(name in strategy.params)) {
      throw new UsageError(
        `strategy ${strategy.name} has no parameter "${name}"`,
        `its parameters are: ${Object.keys(strategy.params).join(', ') || '(none)'}`,
      );
    }
  }
  for (const [name, spec] of Object.entries(strategy.params)) {
    const value = given[name] ?? spec.default;
    if (!Number.isFinite(value) || value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) {
      throw new UsageError(
        `strategy ${strategy.name}: ${name} = ${value} is out of range`,
        `${name} (${spec.description}) must be ${spec.integer ? 'a whole number ' : ''}from ${spec.min} to ${spec.max}`,
      );
    }
    out[name] = value;
  }
  return out;
}
