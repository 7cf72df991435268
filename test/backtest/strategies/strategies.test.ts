import { describe, expect, it } from 'vitest';
import { simpleMovingAverage, wilderRsi, priorHighest, priorLowest } from '../../../src/backtest/strategies/series-math.js';
import { getStrategy, STRATEGIES, type StrategyName } from '../../../src/backtest/strategies/registry.js';
import { resolveStrategyParams } from '../../../src/backtest/strategies/strategy.js';
import { UsageError } from '../../../src/core/errors.js';
import { barsFrom, flatBars, walkBars } from '../bars.js';

describe('indicator kernels', () => {
  it('SMA, prior highest and lowest by hand', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5]);
    expect(Array.from(simpleMovingAverage(x, 3))).toEqual([NaN, NaN, 2, 3, 4]);
    expect(Array.from(priorHighest(Float64Array.from([3, 1, 4, 1, 5]), 2))).toEqual([NaN, NaN, 3, 4, 4]);
    expect(Array.from(priorLowest(Float64Array.from([3, 1, 4, 1, 5]), 2))).toEqual([NaN, NaN, 1, 1, 1]);
  });

  it("Wilder's RSI by hand", () => {
    // changes +1, -1, +2: seed over 2 changes: gain 0.5, loss 0.5 -> 50; then gain (0.5 + (2-0.5)/2) = 1.25, loss 0.25
    const rsi = wilderRsi(Float64Array.from([10, 11, 10, 12]), 2);
    expect(rsi[1]).toBeNaN();
    expect(rsi[2]).toBe(50);
    expect(rsi[3]).toBeCloseTo(100 - 100 / (1 + 1.25 / 0.25), 12);
  });
});

describe('rule strategies', () => {
  it('sma-cross is long above, short below and flat in warm-up', () => {
    const s = flatBars([1, 2, 3, 4, 3, 2, 1, 1]);
    expect(Array.from(getStrategy('sma-cross').signals(s, { fast: 2, slow: 3 }))).toEqual([0, 0, 1, 1, 1, -1, -1, -1]);
  });

  it('rsi-reversion enters oversold and leaves at the exit level', () => {
    const closes = [100, 99, 98, 97, 96, 95, 97, 99, 101, 103, 102];
    const sig = getStrategy('rsi-reversion').signals(flatBars(closes), { period: 3, lower: 30, upper: 70, exit: 50 });
    const rsi = wilderRsi(Float64Array.from(closes), 3);
    let state = 0;
    const expected = rsi.map((r) => {
      if (!Number.isNaN(r)) {
        if ((state === 1 && r > 50) || (state === -1 && r < 50)) state = 0;
        if (state === 0) state = r < 30 ? 1 : r > 70 ? -1 : 0;
      }
      return state;
    });
    expect(Array.from(sig)).toEqual(Array.from(expected));
    expect(sig[3]).toBe(1);
  });

  it('donchian-breakout goes long on a close above the prior high and exits below the prior exit low', () => {
    const s = barsFrom([
      [10, 11, 9, 10],
      [10, 11, 9, 10],
      [10, 12, 10, 11.5], // close 11.5 > prior 2-bar high 11 -> long
      [11, 12, 11, 11.8],
      [11, 11, 8, 8.5], // close 8.5 < prior 1-bar low 11 -> exit; < prior 2-bar low 10 -> short
    ]);
    expect(Array.from(getStrategy('donchian-breakout').signals(s, { entry: 2, exit: 1 }))).toEqual([0, 0, 1, 1, -1]);
  });

  it.each(Object.keys(STRATEGIES) as StrategyName[])('%s does not look ahead', (name) => {
    const strategy = STRATEGIES[name];
    const params = resolveStrategyParams(strategy);
    const a = walkBars(400);
    const b = walkBars(400);
    for (let i = 250; i < 400; i++) {
      b.open[i] *= 1.3;
      b.high[i] *= 1.4;
      b.low[i] *= 0.8;
      b.close[i] *= 1.2;
    }
    const sa = strategy.signals(a, params);
    const sb = strategy.signals(b, params);
    expect(Array.from(sb.subarray(0, 250))).toEqual(Array.from(sa.subarray(0, 250)));
    const warm = strategy.warmupBars(params);
    for (let i = 0; i < warm; i++) expect(sa[i]).toBe(0);
  });

  it('validates parameters and names', () => {
    expect(resolveStrategyParams(STRATEGIES['sma-cross'], { fast: 5 })).toEqual({ fast: 5, slow: 20 });
    expect(() => resolveStrategyParams(STRATEGIES['sma-cross'], { fats: 5 })).toThrow(/no parameter "fats"/);
    expect(() => resolveStrategyParams(STRATEGIES['sma-cross'], { fast: 2.5 })).toThrow(UsageError);
    expect(() => STRATEGIES['sma-cross'].signals(flatBars([1, 2]), { fast: 20, slow: 10 })).toThrow(UsageError);
    expect(() => STRATEGIES['rsi-reversion'].signals(flatBars([1, 2]), { period: 3, lower: 60, upper: 70, exit: 50 })).toThrow(UsageError);
    expect(() => STRATEGIES['donchian-breakout'].signals(flatBars([1, 2]), { entry: 5, exit: 10 })).toThrow(UsageError);
    expect(() => getStrategy('macd')).toThrow(/unknown strategy "macd"/);
  });
});
