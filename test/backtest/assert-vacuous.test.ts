import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseAssertion } from '../../src/backtest/assert.js';
import { STAT_KEY_LIST } from '../../src/backtest/types.js';

describe('--assert refuses comparisons that cannot fail (or cannot pass)', () => {
  it('refuses a negative drawdown bound, as copied from tools that report drawdowns as negative numbers', () => {
    expect(() => parseAssertion('sharpe >= 1 and maxDrawdownPct > -20', STAT_KEY_LIST)).toThrow(UsageError);
    expect(() => parseAssertion('sharpe >= 1 and maxDrawdownPct > -20', STAT_KEY_LIST)).toThrow(/always true/);
    expect(() => parseAssertion('-20 < maxDrawdownPct', STAT_KEY_LIST)).toThrow(/always true/);
    expect(() => parseAssertion('trades <= -1', STAT_KEY_LIST)).toThrow(/always false/);
    try {
      parseAssertion('maxDrawdownPct >= -25', STAT_KEY_LIST);
    } catch (err) {
      expect((err as UsageError).hint).toContain('maxDrawdownPct < 25');
    }
  });

  it('accepts meaningful bounds, including negative bounds on signed statistics', () => {
    expect(parseAssertion('maxDrawdownPct < 20 and returnPct > -5 and alphaPct >= -1', STAT_KEY_LIST).clauses).toHaveLength(3);
    expect(parseAssertion('not (trades == 0)', STAT_KEY_LIST).clauses).toHaveLength(1);
  });
});
