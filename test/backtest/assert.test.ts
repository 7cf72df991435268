import { describe, expect, it } from 'vitest';
import {
  AssertSyntaxError,
  ERROR_MARKER,
  evaluateAssertion,
  formatAssertionFailures,
  parseAssertion,
  throwIfAssertionFailed,
  checkBacktest,
  type AssertNode,
} from '../../src/backtest/assert.js';
import { CheckFailedError, ExitCode, UsageError } from '../../src/core/errors.js';
import { STAT_KEY_LIST, type StatKey } from '../../src/backtest/types.js';

const KEYS = ['sharpe', 'sortino', 'maxDrawdownPct', 'totalReturnPct', 'trades', 'winRatePct', 'profitFactor'];

function run(expr: string, stats: Record<string, number | null>) {
  return evaluateAssertion(parseAssertion(expr, KEYS), stats);
}

function syntaxError(expr: string): AssertSyntaxError {
  try {
    parseAssertion(expr, KEYS);
  } catch (e) {
    expect(e).toBeInstanceOf(AssertSyntaxError);
    return e as AssertSyntaxError;
  }
  throw new Error(`expected a syntax error for ${expr}`);
}

describe('parseAssertion', () => {
  it('splits a top-level and into clauses and keeps each clause text as written', () => {
    const p = parseAssertion('sharpe >= 1 and maxDrawdownPct < 20', KEYS);
    expect(p.clauses).toHaveLength(2);
    const r = evaluateAssertion(p, { sharpe: 1.2, maxDrawdownPct: 12.5 });
    expect(r.clauses.map((c) => c.text)).toEqual(['sharpe >= 1', 'maxDrawdownPct < 20']);
  });

  it('binds and tighter than or, and not tighter than and', () => {
    const p = parseAssertion('sharpe > 1 or sortino > 1 and not trades < 10', KEYS);
    expect(p.clauses).toHaveLength(1);
    const root = p.clauses[0] as Extract<AssertNode, { operands: unknown }>;
    expect(root.kind).toBe('or');
    expect(root.operands[0].kind).toBe('compare');
    const and = root.operands[1] as Extract<AssertNode, { operands: unknown }>;
    expect(and.kind).toBe('and');
    expect(and.operands[1].kind).toBe('not');
  });

  it('parses numbers with signs, decimals and exponents', () => {
    const cases: Array<[string, number]> = [
      ['sharpe > 1', 1],
      ['sharpe > -1.5', -1.5],
      ['sharpe > +2', 2],
      ['sharpe > .5', 0.5],
      ['sharpe > 3.', 3],
      ['sharpe > 1e3', 1000],
      ['sharpe > -2.5E-2', -0.025],
      ['sharpe>=-0.25', -0.25],
    ];
    for (const [expr, value] of cases) {
      const node = parseAssertion(expr, KEYS).clauses[0] as Extract<AssertNode, { kind: 'compare' }>;
      expect(node.right, expr).toMatchObject({ kind: 'number', value });
    }
  });

  it('accepts keywords in any case, parentheses and key-vs-key comparisons', () => {
    const r = run('(sharpe > 0 OR trades == 0) AND Not (sortino < sharpe)', { sharpe: 1, trades: 4, sortino: 2 });
    expect(r.passed).toBe(true);
    expect(r.clauses.map((c) => c.text)).toEqual(['sharpe > 0 OR trades == 0', 'Not (sortino < sharpe)']);
  });

  it('points syntax errors at the right 1-based column', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['sharpe >= ', 11, /expected a statistic or a number, found end of expression/],
      ['sharpe 1', 8, /expected a comparison/],
      ['sharpe = 1', 8, /compare with "=="/],
      ['sharpe > 1 && trades > 2', 12, /use "and"/],
      ['(sharpe > 1', 12, /expected "\)" to close the "\(" at column 1/],
      ['sharpe > 1)', 11, /unmatched "\)"/],
      ['sharpe > 1 trades > 2', 12, /expected "and", "or"/],
      ['sharpe > 1.2.3', 13, /malformed number/],
      ['sharpe > 1x', 11, /malformed number/],
      ['sharpe > 1 and # 2', 16, /unexpected character "#"/],
      ['1 > 2', 1, /at least one statistic/],
      ['not', 4, /found end of expression/],
      ['sharpe > -', 10, /malformed number/],
    ];
    for (const [expr, column, message] of cases) {
      const e = syntaxError(expr);
      expect(e.column, expr).toBe(column);
      expect(e.message, expr).toMatch(message);
      expect(e.message, expr).toContain(`column ${column}`);
      expect(e.exitCode).toBe(ExitCode.usage);
      // The one-line hint quotes the expression with a marker at the column.
      expect(e.hint, expr).not.toContain('\n');
      const quoted = JSON.parse(/reads ("(?:[^"\\]|\\.)*")/.exec(e.hint ?? '')![1]) as string;
      expect(quoted.indexOf(ERROR_MARKER), expr).toBe(column - 1);
    }
  });

  it('refuses an unknown statistic with a UsageError listing the valid keys and a suggestion', () => {
    let err: unknown;
    try {
      parseAssertion('sharpe > 1 and maxDrawdown > -20', KEYS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect(err).not.toBeInstanceOf(AssertSyntaxError);
    const e = err as UsageError;
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toContain('unknown statistic "maxDrawdown" at column 16');
    expect(e.message).toContain('did you mean "maxDrawdownPct"');
    for (const k of KEYS) expect(e.hint).toContain(k);
  });

  it('is case-sensitive for statistic keys and refuses keywords as operands', () => {
    expect(() => parseAssertion('Sharpe > 1', KEYS)).toThrow(/unknown statistic "Sharpe"/);
    expect(syntaxError('and > 1').column).toBe(1);
  });

  it('refuses empty and oversized expressions and very deep nesting', () => {
    expect(() => parseAssertion('   ', KEYS)).toThrow(UsageError);
    expect(() => parseAssertion(`sharpe > 1${' '.repeat(20_000)}`, KEYS)).toThrow(/limit/);
    const deep = `${'('.repeat(500)}sharpe > 1${')'.repeat(500)}`;
    expect(syntaxError(deep).message).toMatch(/nested deeper/);
    const nots = `${'not '.repeat(150)}sharpe > 1`;
    expect(run(nots, { sharpe: 2 }).passed).toBe(true);
  });
});

describe('evaluateAssertion', () => {
  it('evaluates every comparison operator, exactly', () => {
    const stats = { sharpe: 1 };
    const table: Array<[string, boolean]> = [
      ['sharpe < 1', false],
      ['sharpe <= 1', true],
      ['sharpe > 1', false],
      ['sharpe >= 1', true],
      ['sharpe == 1', true],
      ['sharpe != 1', false],
      ['sharpe == 1.0000000000000002', false],
      ['1 < sharpe', false],
      ['2 > sharpe', true],
    ];
    for (const [expr, expected] of table) expect(run(expr, stats).passed, expr).toBe(expected);
  });

  it('reports each top-level clause with its actual values and a reason when it failed', () => {
    const r = run('sharpe >= 1 and maxDrawdownPct < 20 and trades >= 30', { sharpe: 0.83, maxDrawdownPct: 12, trades: 12 });
    expect(r.passed).toBe(false);
    expect(r.clauses.map((c) => c.passed)).toEqual([false, true, false]);
    expect(r.clauses[0]).toEqual({ text: 'sharpe >= 1', passed: false, values: [{ key: 'sharpe', value: 0.83 }], reason: 'actual sharpe = 0.83' });
    expect(r.clauses[1].reason).toBeUndefined();
    expect(formatAssertionFailures(r)).toEqual([
      'assertion failed: sharpe >= 1 (actual sharpe = 0.83)',
      'assertion failed: trades >= 30 (actual trades = 12)',
    ]);
  });

  it('fails a clause that depends on a null statistic, naming it', () => {
    const r = run('sharpe >= 1 and trades > 0', { sharpe: null, trades: 0 });
    expect(r.clauses[0].passed).toBe(false);
    expect(r.clauses[0].reason).toBe('sharpe is null (not meaningful for this run); actual sharpe = null');
    const withReason = evaluateAssertion(parseAssertion('sharpe >= 1', KEYS), { sharpe: null }, { nullReasons: { sharpe: 'zero volatility' } });
    expect(withReason.clauses[0].reason).toBe('sharpe is null (zero volatility); actual sharpe = null');
    // not of unknown stays unknown: a null statistic can never pass by negation.
    expect(run('not sharpe >= 1', { sharpe: null }).passed).toBe(false);
    // A missing key and NaN count as null.
    expect(run('sortino > 0', {}).clauses[0].reason).toMatch(/sortino is null/);
    expect(run('sortino > 0', { sortino: Number.NaN }).passed).toBe(false);
  });

  it('uses Kleene logic inside a clause: true or unknown passes, false and unknown fails without blaming null', () => {
    expect(run('sharpe > 1 or trades == 0', { sharpe: null, trades: 0 }).passed).toBe(true);
    const r = run('(sharpe > 1 and trades > 5) or sortino > 9', { sharpe: null, trades: 0, sortino: 0 });
    expect(r.clauses).toHaveLength(1);
    expect(r.passed).toBe(false);
    expect(r.clauses[0].reason).toBe('actual sharpe = null, trades = 0, sortino = 0');
    // A whole expression in parentheses still splits into its top-level clauses.
    expect(run('(sharpe > 1 and trades > 5)', { sharpe: 2, trades: 6 }).clauses).toHaveLength(2);
    const both = run('sharpe > 1 or sortino > 1', { sharpe: null, sortino: null });
    expect(both.clauses[0].reason).toMatch(/^sharpe is null \(.*\), sortino is null/);
  });

  it('lists each statistic once, in order of first appearance, for key-vs-key clauses', () => {
    const r = run('sortino >= sharpe or sharpe > 3', { sharpe: 2, sortino: 1.5 });
    expect(r.clauses[0].values).toEqual([
      { key: 'sortino', value: 1.5 },
      { key: 'sharpe', value: 2 },
    ]);
  });

  it('throwIfAssertionFailed raises CheckFailedError (exit 4) listing failed clauses only', () => {
    expect(() => throwIfAssertionFailed(run('sharpe > 0', { sharpe: 1 }))).not.toThrow();
    let err: unknown;
    try {
      throwIfAssertionFailed(run('sharpe > 2 and trades > 0 and sortino > 5', { sharpe: 1, trades: 3, sortino: 1 }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckFailedError);
    expect((err as CheckFailedError).exitCode).toBe(ExitCode.checkFailed);
    expect((err as Error).message).toBe('2 of 3 assertions failed: sharpe > 2 (actual sharpe = 1); sortino > 5 (actual sortino = 1)');
  });
});

describe('checkBacktest', () => {
  it('accepts every statistic key of the result contract and quotes notMeaningful reasons', () => {
    const stats = Object.fromEntries(STAT_KEY_LIST.map((k, i) => [k, i])) as Record<StatKey, number | null>;
    stats.sharpe = null;
    const every = STAT_KEY_LIST.map((k) => `${k} >= 0`).join(' and ');
    const r = checkBacktest(every, { stats, notMeaningful: [{ key: 'sharpe', reason: 'fewer than 2 returns' }] });
    expect(r.clauses).toHaveLength(STAT_KEY_LIST.length);
    try {
      checkBacktest('sharpeRatio > 1', { stats, notMeaningful: [] });
    } catch (e) {
      expect((e as UsageError).hint).toBe(`valid statistics: ${STAT_KEY_LIST.join(', ')}`);
    }
    expect(r.clauses.filter((c) => !c.passed).map((c) => c.reason)).toEqual(['sharpe is null (fewer than 2 returns); actual sharpe = null']);
    expect(() => checkBacktest('sharpeRatio > 1', { stats, notMeaningful: [] })).toThrow(/unknown statistic "sharpeRatio"/);
  });
});
