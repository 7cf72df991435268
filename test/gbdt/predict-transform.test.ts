import { describe, expect, it } from 'vitest';
import type { ObjectiveSpec } from '../../src/gbdt/model.js';
import { OBJECTIVE_TRANSFORM, outputWidthOf, transformOutput } from '../../src/gbdt/objective/transform.js';

const spec = (name: ObjectiveSpec['name'], numClass = 1, params: Record<string, number> = {}, outputClass?: boolean): ObjectiveSpec => ({
  name,
  numClass,
  params,
  outputClass,
});

describe('output transforms', () => {
  it('identity keeps raw scores for the regression family', () => {
    for (const name of ['regression', 'regression_l1', 'huber', 'quantile'] as const) {
      expect(Array.from(transformOutput(spec(name), Float64Array.of(-1.5, 0, 2.25), 3))).toEqual([-1.5, 0, 2.25]);
    }
  });

  it('binary applies the logistic with LightGBM sigmoid slope', () => {
    const out = transformOutput(spec('binary', 1, { sigmoid: 2 }), Float64Array.of(0, 1, -3), 3);
    expect(out[0]).toBe(0.5);
    expect(out[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(out[2]).toBeCloseTo(1 / (1 + Math.exp(6)), 15);
    expect(transformOutput(spec('binary'), Float64Array.of(1), 1)[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  });

  it('cross_entropy is the plain logistic even with a sigmoid parameter', () => {
    expect(transformOutput(spec('cross_entropy', 1, { sigmoid: 3 }), Float64Array.of(1), 1)[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  });

  it('softmax normalises each row and is stable for large margins', () => {
    const out = transformOutput(spec('multiclass', 3), Float64Array.of(1, 2, 3, 1000, 1000, 0), 2);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0] + e[1] + e[2];
    expect(out[0]).toBeCloseTo(e[0] / s, 15);
    expect(out[2]).toBeCloseTo(1 / s, 15);
    expect(Array.from(out.subarray(3))).toEqual([0.5, 0.5, 0]);
  });

  it('multiclassova applies an independent logistic per class', () => {
    const out = transformOutput(spec('multiclassova', 2, { sigmoid: 1 }), Float64Array.of(0, 2), 1);
    expect(out[0]).toBe(0.5);
    expect(out[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  });

  it('log-link objectives exponentiate', () => {
    for (const name of ['poisson', 'gamma', 'tweedie'] as const) {
      expect(transformOutput(spec(name), Float64Array.of(Math.log(3)), 1)[0]).toBeCloseTo(3, 14);
    }
  });

  it('multi:softmax returns the arg-max class, lowest class on ties, and works in place', () => {
    const s = spec('multiclass', 3, {}, true);
    expect(outputWidthOf(s)).toBe(1);
    const raw = Float64Array.of(0.1, 0.9, 0.3, 2, 2, 1, -1, -2, -0.5);
    const out = transformOutput(s, raw, 3, raw);
    expect(Array.from(out.subarray(0, 3))).toEqual([1, 0, 2]);
  });

  it('every objective has a transform', () => {
    expect(Object.keys(OBJECTIVE_TRANSFORM).sort()).toEqual(
      ['binary', 'cross_entropy', 'gamma', 'huber', 'multiclass', 'multiclassova', 'poisson', 'quantile', 'regression', 'regression_l1', 'tweedie'],
    );
  });

  it('refuses a raw buffer too small for the rows', () => {
    expect(() => transformOutput(spec('multiclass', 3), new Float64Array(5), 2)).toThrow(/cannot hold 2 rows/);
  });
});
