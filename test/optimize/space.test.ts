import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACES, gbdtAccepts } from '../../src/optimize/default-spaces.js';
import { categoricalDist, contains, floatDist, intDist, isSingle, roundHalfEven, transformedBounds, untransform } from '../../src/optimize/space.js';
import { parseSpaceFile } from '../../src/optimize/space-file.js';

describe('distributions', () => {
  it('shrink a stepped high to the last grid value, as Optuna does', () => {
    expect(intDist(0, 10, { step: 3 }).high).toBe(9);
    expect(floatDist(0, 1, { step: 0.3 }).high).toBe(0.9);
    expect(floatDist(0.1, 0.7, { step: 0.2 }).high).toBe(0.7);
  });
  it('reject empty and non-positive log ranges, log with step, and empty choices', () => {
    expect(() => floatDist(2, 1)).toThrow('the range [2, 1] is empty');
    expect(() => floatDist(0, 1, { log: true })).toThrow('a log range needs low > 0 (got 0)');
    expect(() => intDist(1, 8, { log: true, step: 2 })).toThrow('log');
    expect(() => categoricalDist([])).toThrow('at least one choice');
  });
  it('single() as Optuna', () => {
    expect(isSingle(floatDist(1, 1))).toBe(true);
    expect(isSingle(intDist(0, 1, { step: 2 }))).toBe(true);
    expect(isSingle(categoricalDist(['a']))).toBe(true);
    expect(isSingle(intDist(0, 1))).toBe(false);
  });
  it('untransform rounds half to even and clips, as NumPy', () => {
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(-2.5)).toBe(-2);
    expect(roundHalfEven(3.5)).toBe(4);
    const d = intDist(1, 5);
    expect(transformedBounds(d)).toEqual([0.5, 5.5]);
    expect(untransform(d, 5.49)).toBe(5);
    expect(untransform(d, 0.5)).toBe(1); // round(-0.5) = -0 -> 0 + 1
    const lg = intDist(1, 100, { log: true });
    expect(transformedBounds(lg)).toEqual([Math.log(0.5), Math.log(100.5)]);
    expect(untransform(lg, Math.log(100.49))).toBe(100);
    const f = floatDist(0, 1);
    expect(untransform(f, 1)).toBeLessThan(1);
    expect(contains(floatDist(0, 1, { step: 0.1 }), 0.3)).toBe(true);
    expect(contains(intDist(0, 10, { step: 2 }), 3)).toBe(false);
  });
});

describe('default spaces', () => {
  it("use names each family's training mode accepts", () => {
    for (const name of Object.keys(DEFAULT_SPACES.lightgbm)) expect(gbdtAccepts('lightgbm')(name), name).toBe(true);
    for (const name of Object.keys(DEFAULT_SPACES.xgboost)) expect(gbdtAccepts('xgboost')(name), name).toBe(true);
    expect(DEFAULT_SPACES.lightgbm.learning_rate).toMatchObject({ kind: 'float', log: true });
    expect(DEFAULT_SPACES.lightgbm.lambda_l1).toMatchObject({ log: true });
  });
});

describe('parseSpaceFile', () => {
  const parse = (o: unknown) => parseSpaceFile(JSON.stringify(o), { accepts: gbdtAccepts('lightgbm'), family: 'lightgbm' });
  it('reads float, int, log, step and categorical ranges', () => {
    const s = parse({
      num_leaves: { type: 'int', low: 8, high: 256, log: true },
      learning_rate: { type: 'float', low: 0.01, high: 0.3, log: true },
      feature_fraction: { type: 'float', low: 0.5, high: 1, step: 0.1 },
      max_bin: { type: 'categorical', choices: [63, 127, 255] },
    });
    expect(Object.keys(s)).toEqual(['num_leaves', 'learning_rate', 'feature_fraction', 'max_bin']);
    expect(s.num_leaves).toEqual({ kind: 'int', low: 8, high: 256, log: true, step: 1 });
    expect(s.feature_fraction).toEqual({ kind: 'float', low: 0.5, high: 1, log: false, step: 0.1 });
    expect(s.max_bin).toEqual({ kind: 'categorical', choices: [63, 127, 255] });
  });
  it('gives one line per bad input', () => {
    expect(() => parse({ learning_rate: { type: 'float', low: 0.3, high: 0.01 } })).toThrow('space file: learning_rate: the range [0.3, 0.01] is empty');
    expect(() => parse({ learning_rate: { type: 'float', low: 0, high: 1, log: true } })).toThrow('space file: learning_rate: a log range needs low > 0 (got 0)');
    expect(() => parse({ leaves: { type: 'int', low: 1, high: 2 } })).toThrow('space file: unknown parameter "leaves" for lightgbm');
    expect(() => parse({ max_bin: { type: 'categorical', choices: [] } })).toThrow('space file: max_bin.choices: needs at least one choice');
    expect(() => parse({ num_leaves: { type: 'int', low: 1.5, high: 2 } })).toThrow('space file: num_leaves.low must be a whole number (got 1.5)');
    expect(() => parse({ num_leaves: { type: 'range', low: 1, high: 2 } })).toThrow(/^space file: num_leaves\.type/);
    expect(() => parse({})).toThrow('the space has no parameters');
    expect(() => parseSpaceFile('{', {})).toThrow('space file: not valid JSON');
    try {
      parse({ num_leaves: { type: 'int', low: 1, high: 2, lg: true } });
    } catch (e) {
      expect((e as Error).message).toBe('space file: num_leaves has unknown key "lg"');
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });
});
