/** Labels on hand-made close paths: forward returns, direction with a dead zone, triple barrier. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/core/errors.js';
import { allocSeries, type BarSeries } from '../../src/core/bars.js';
import { computeLabels, labelName, parseLabelSpecs } from '../../src/features/labels.js';
import { rollingStd } from '../../src/features/kernels/rolling.js';

function closes(values: number[]): BarSeries {
  const s = allocSeries('L', '1d', values.length);
  values.forEach((v, i) => {
    s.time[i] = i * 86_400_000;
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = v;
  });
  return s;
}

describe('labels', () => {
  const s = closes([100, 101, 99, 99.05, 103, 103]);

  it('forward log return over h, NaN for the last h rows', () => {
    const [r] = computeLabels(s, parseLabelSpecs([{ kind: 'forwardReturn', horizon: 2 }])).columns;
    expect(r[0]).toBeCloseTo(Math.log(99 / 100), 15);
    expect(r[3]).toBeCloseTo(Math.log(103 / 99.05), 15);
    expect(Number.isNaN(r[4]) && Number.isNaN(r[5])).toBe(true);
  });

  it('direction: ternary with a dead zone, binary with dead-zone rows excluded (NaN)', () => {
    const specs = parseLabelSpecs([
      { kind: 'direction', horizon: 1, deadZone: 0.001 },
      { kind: 'direction', horizon: 1, deadZone: 0.001, classes: 'binary' },
    ]);
    const m = computeLabels(s, specs);
    expect(m.names).toEqual(['dir_1_0.001', 'dirbin_1_0.001']);
    // changes: +1%, -2%, +0.05% (inside the dead zone), +4%, 0 (inside)
    expect(Array.from(m.columns[0])).toEqual([1, -1, 0, 1, 0, NaN]);
    expect(Array.from(m.columns[1])).toEqual([1, 0, NaN, 1, NaN, NaN]);
    expect(m.horizons).toEqual([1, 1]);
  });

  it('triple barrier: first barrier touched wins, time barrier gives 0, unknown rows are NaN', () => {
    // volWindow 2: vol at t = sample sd of the last two one-bar log returns
    const path = closes([100, 101, 100, 100.5, 104, 90, 90.2, 90.1, 90.3, 90.2]);
    const spec = { kind: 'tripleBarrier' as const, horizon: 3, profitTake: 1, stopLoss: 1, volWindow: 2 };
    const [tb] = computeLabels(path, parseLabelSpecs([spec])).columns;
    const ret = Float64Array.from(path.close, (c, i) => (i === 0 ? NaN : Math.log(c / path.close[i - 1])));
    const vol = rollingStd(ret, 2, 1, 1);
    // hand check of row 2: vol = sd(ln(101/100), ln(100/101)); next closes 100.5 (+0.5%), 104 (+3.9%)
    expect(vol[2]).toBeCloseTo(Math.SQRT2 * Math.log(1.01), 12);
    expect(Math.log(100.5 / 100)).toBeLessThan(vol[2]);
    expect(Math.log(104 / 100)).toBeGreaterThan(vol[2]);
    expect(tb[2]).toBe(1);
    expect(tb[3]).toBe(1); // vol[3] ~ 1.06%, next close 104 is +3.4%
    expect(tb[4]).toBe(-1); // vol[4] ~ 2.1%, next close 90 is -14.5%: stop-loss
    expect(tb[5]).toBe(0); // after the crash vol is ~12.6%: the small moves touch nothing
    expect(Number.isNaN(tb[0]) && Number.isNaN(tb[1])).toBe(true); // no volatility yet
    expect(tb[6]).toBe(0); // tiny moves, none beyond the barriers within 3 bars
    expect(Number.isNaN(tb[7])).toBe(true); // horizon runs past the last bar, no barrier hit
    expect(Number.isNaN(tb[9])).toBe(true); // nothing after the last bar
    expect(labelName(parseLabelSpecs([spec])[0])).toBe('tb_3_1_1_2');
  });

  it('triple barrier on a flat path never labels a non-move as a touch', () => {
    const [tb] = computeLabels(closes(Array(30).fill(50)), parseLabelSpecs([{ kind: 'tripleBarrier', horizon: 5, profitTake: 2, stopLoss: 2 }])).columns;
    expect(tb[20]).toBe(0);
    expect(Number.isNaN(tb[29])).toBe(true);
  });

  it('bad specs are ConfigErrors, too-short series DataErrors', () => {
    expect(() => parseLabelSpecs([{ kind: 'forwardReturn', horizon: 0 }])).toThrow(ConfigError);
    expect(() => parseLabelSpecs([{ kind: 'nope' }])).toThrow(/invalid label specs/);
    const dup = parseLabelSpecs([{ kind: 'forwardReturn', horizon: 1 }, { kind: 'forwardReturn', horizon: 1 }]);
    expect(() => computeLabels(s, dup)).toThrow(/listed twice/);
    expect(() => computeLabels(closes([1]), parseLabelSpecs([{ kind: 'forwardReturn', horizon: 1 }]))).toThrow(DataError);
  });
});
