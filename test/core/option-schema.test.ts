/** Option tables: typed values, fixed defaults, required flags, and one-line UsageErrors. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UsageError } from '../../src/core/errors.js';
import { countText, defineOptions, helpText, intText, longFlag, numberText, parseOptions, parseValue, plainText, symbolListText } from '../../src/core/option-schema.js';

const TABLE = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: plainText, required: true },
  limit: { flags: '--limit <n>', description: 'how many', schema: countText('--limit', 100), default: '20' },
  share: { flags: '--share <x>', description: 'a share', schema: z.coerce.number().min(0).max(1) },
  horizon: { flags: '--horizon <bars>', description: 'label horizon', schema: intText('--horizon', z.number().int().min(1).max(10)), config: { key: 'train.horizon', value: 1 } },
  context: { flags: '--context <symbols>', description: 'reference symbols', schema: symbolListText },
});

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return `${err.message}${err.hint ? ` (${err.hint})` : ''}`;
    throw err;
  }
  throw new Error('no UsageError');
}

describe('parseOptions', () => {
  it('reads typed values, applies fixed defaults and leaves the rest absent', () => {
    expect(parseOptions(TABLE, { interval: '1d', context: 'spy, qqq,', json: true })).toEqual({ interval: '1d', limit: 20, context: ['SPY', 'QQQ'] });
    expect(parseOptions(TABLE, { interval: '1d', limit: '5', horizon: '3', share: '0.5' })).toEqual({ interval: '1d', limit: 5, horizon: 3, share: 0.5 });
  });

  it("keeps an option's own wording", () => {
    expect(usage(() => parseOptions(TABLE, { interval: '1d', limit: '0' }))).toBe('--limit "0" is not valid (use a whole number from 1 to 100)');
    expect(usage(() => parseOptions(TABLE, { interval: '1d', horizon: '11' }))).toBe('--horizon "11" is not valid (use a whole number from 1 to 10)');
    expect(usage(() => parseValue(numberText('--fee-bps'), 'x', '--fee-bps'))).toBe('--fee-bps "x" is not a number');
  });

  it('words any other schema issue with describeIssue, naming the flag', () => {
    expect(usage(() => parseOptions(TABLE, { interval: '1d', share: '2' }))).toBe('--share must be at most 1 (got 2)');
  });

  it('refuses a missing required option as the parser would', () => {
    expect(usage(() => parseOptions(TABLE, {}))).toBe("required option '-i, --interval <interval>' not specified");
  });
});

describe('help text', () => {
  it('names the configuration setting and its default', () => {
    expect(helpText(TABLE.horizon)).toBe('label horizon (default: 1, config train.horizon)');
    expect(helpText(TABLE.limit)).toBe('how many');
    expect(longFlag(TABLE.interval)).toBe('--interval');
  });
});
