import { describe, expect, it } from 'vitest';
import { DataError, ModelFormatError, UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { GBDT_DEFAULTS, GbdtFamilyModel } from '../../src/models/gbdt-model.js';
import { MODEL_FAMILIES, type FeatureColumns, type ModelFamily, type Task } from '../../src/models/model.js';
import { NaiveModel } from '../../src/models/naive.js';
import { createModel, familyTraits, GBDT_FAMILIES, MODEL_REGISTRY, modelFromJSON, trainingParams } from '../../src/models/registry.js';

/** y depends on x0 (linear) and x1 (threshold); x2 is noise with missing values; x3 is constant. */
function data(n: number, seed: number, task: Task): { X: FeatureColumns; y: Float64Array } {
  const rng = new Rng(seed);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n).fill(1)];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cols[0][i] = rng.normal();
    cols[1][i] = rng.normal();
    cols[2][i] = rng.bernoulli(0.1) ? NaN : rng.normal();
    const signal = cols[0][i] + (cols[1][i] > 0 ? 1 : -1) + 0.5 * rng.normal();
    y[i] = task === 'regression' ? signal : task === 'binary' ? (signal > 0 ? 1 : 0) : signal < -0.7 ? 0 : signal < 0.7 ? 1 : 2;
  }
  return { X: { columns: cols, numRows: n, names: ['x0', 'x1', 'x2', 'x3'] }, y };
}

const FAST: Partial<Record<ModelFamily, Record<string, unknown>>> = {
  lightgbm: { num_iterations: 60, learning_rate: 0.1, min_data_in_leaf: 10 },
  xgboost: { num_boost_round: 60, eta: 0.1 },
  rf: { num_iterations: 30, min_data_in_leaf: 10 },
  ensemble: { 'gbdt.num_iterations': 40, 'gbdt.learning_rate': 0.1, inner_folds: 3, purge: 2, 'linear.alpha': 1 },
  // the defaults shrink hard for noisy market data; this synthetic signal is strong
  ridge: { alpha: 1 },
  logistic: { alpha: 1 },
};

const CASES = MODEL_FAMILIES.flatMap((family) => MODEL_REGISTRY[family].tasks.map((task) => [family, task] as const));

describe.each(CASES)('%s on the %s task', (family, task) => {
  const numClass = task === 'regression' ? 1 : task === 'binary' ? 2 : 3;
  const train = data(400, 1, task);
  const valid = data(150, 2, task);

  it('fits, predicts in the documented layout, and round-trips through JSON exactly', async () => {
    const model = createModel(family, { task, numClass, params: FAST[family] });
    const report = await model.fit(train.X, train.y, { seed: 5, valid: { X: valid.X, y: valid.y } });
    const pred = model.predict(valid.X);
    expect(pred).toHaveLength(valid.X.numRows * (task === 'multiclass' ? 3 : 1));
    expect(pred.every((v) => Number.isFinite(v))).toBe(true);
    if (task !== 'regression') expect(pred.every((v) => v >= 0 && v <= 1)).toBe(true);
    if (['lightgbm', 'xgboost', 'ensemble'].includes(family)) expect(report.bestIteration).toBeGreaterThan(0);

    const doc = JSON.parse(JSON.stringify(model.toJSON())) as unknown;
    const again = modelFromJSON(doc);
    expect(again.family).toBe(family);
    expect(Array.from(again.predict(valid.X))).toEqual(Array.from(pred));
    expect(again.describe()).toEqual(model.describe());
  });

  it('is deterministic for a seed', async () => {
    const fit = async (): Promise<Float64Array> => {
      const m = createModel(family, { task, numClass, params: FAST[family] });
      await m.fit(train.X, train.y, { seed: 9 });
      return m.predict(valid.X);
    };
    expect(Array.from(await fit())).toEqual(Array.from(await fit()));
  });

  it.skipIf(family === 'naive')('learns the signal (beats the naive baseline in-sample and out of sample)', async () => {
    const model = createModel(family, { task, numClass, params: FAST[family] });
    await model.fit(train.X, train.y, { seed: 5, valid: { X: valid.X, y: valid.y } });
    const base = createModel('naive', { task, numClass });
    await base.fit(train.X, train.y, { seed: 5 });
    const test = data(300, 3, task);
    const loss = (pred: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < test.y.length; i++) {
        if (task === 'regression') s += (test.y[i] - pred[i]) ** 2;
        else if (task === 'binary') s -= Math.log(Math.max(1e-12, test.y[i] === 1 ? pred[i] : 1 - pred[i]));
        else s -= Math.log(Math.max(1e-12, pred[i * 3 + test.y[i]]));
      }
      return s / test.y.length;
    };
    expect(loss(model.predict(test.X))).toBeLessThan(0.8 * loss(base.predict(test.X)));
    const imp = model.describe().featureImportance!;
    expect(imp.reduce((s, e) => s + e.importance, 0)).toBeCloseTo(1, 12);
    expect(imp.find((e) => e.feature === 'x3')!.importance).toBe(0);
    expect(Math.max(imp[0].importance, imp[1].importance)).toBeGreaterThan(imp[2].importance);
  });
});

describe('registry and documents', () => {
  it('refuses unsupported tasks and unknown families', () => {
    expect(() => createModel('ridge', { task: 'binary', numClass: 2 })).toThrow(/ridge does not support the binary task/);
    expect(() => createModel('logistic', { task: 'regression', numClass: 1 })).toThrow(UsageError);
    expect(() => createModel('nope' as ModelFamily, { task: 'regression', numClass: 1 })).toThrow(/unknown model family "nope"/);
  });

  it('validates GBDT parameters through the engine, naming the parameter and range', () => {
    expect(() => createModel('lightgbm', { task: 'regression', numClass: 1, params: { num_leaves: 1 } })).toThrow(/num_leaves = 1 is invalid/);
    expect(() => createModel('xgboost', { task: 'regression', numClass: 1, params: { min_data_in_leaf: 5 } })).toThrow(/unknown xgboost parameter "min_data_in_leaf"/);
    expect(() => createModel('lightgbm', { task: 'binary', numClass: 2, params: { objective: 'regression' } })).toThrow(/objective regression does not fit the binary task/);
    expect(() => createModel('ensemble', { task: 'regression', numClass: 1, params: { 'gbdt.learning_rate': 2 } })).toThrow(/learning_rate/);
    expect(() => createModel('ensemble', { task: 'regression', numClass: 1, params: { inner_folds: 1 } })).toThrow(/inner_folds = 1 is invalid: out of range/);
  });

  it('lets a user alias override a default without a "given twice" error', () => {
    const m = new GbdtFamilyModel('lightgbm', 'regression', 1, { eta: 0.2 });
    expect(m.params.eta).toBe(0.2);
    expect(m.params.learning_rate).toBeUndefined();
    expect(new GbdtFamilyModel('xgboost', 'regression', 1).params.eta).toBe(GBDT_DEFAULTS.xgboost.learning_rate);
  });

  it('reads documents strictly, naming the bad field', async () => {
    const { X, y } = data(100, 1, 'regression');
    const m = createModel('ridge', { task: 'regression', numClass: 1 });
    await m.fit(X, y, { seed: 1 });
    const doc = JSON.parse(JSON.stringify(m.toJSON())) as Record<string, any>;
    const bad = (mutate: (d: Record<string, any>) => void): () => unknown => () => {
      const d = structuredClone(doc);
      mutate(d);
      return modelFromJSON(d);
    };
    expect(bad((d) => { d.state.coef[2] = 'x'; })).toThrow(/document.state.coef\[2\] must be a finite number/);
    expect(bad((d) => { d.state.coef.pop(); })).toThrow(/document.state.coef has 3 values, expected 4/);
    expect(bad((d) => { d.state.extra = 1; })).toThrow(/document.state.extra is not a known field/);
    expect(bad((d) => { delete d.seed; })).toThrow(/document.seed is missing/);
    expect(bad((d) => { d.formatVersion = 99; })).toThrow(/formatVersion 99 is not supported/);
    expect(bad((d) => { d.family = 'svm'; })).toThrow(/document.family must be one of/);
    expect(bad((d) => { d.task = 'binary'; })).toThrow(/document.numClass = 1 does not fit task binary/);
    expect(bad((d) => { d.params.lambda = -3; })).toThrow(UsageError);
    expect(bad((d) => { d.state.coef[0] = 1; })).not.toThrow();
    expect(() => MODEL_REGISTRY.logistic.fromJSON(doc)).toThrow(/is "ridge", but a logistic model is being read/);
    expect(bad((d) => { d.state.scale[0] = -1; })).toThrow(ModelFormatError);
  });

  it('refuses a GBDT document whose trees were edited (engine checksum)', async () => {
    const { X, y } = data(200, 1, 'regression');
    const m = createModel('lightgbm', { task: 'regression', numClass: 1, params: { num_iterations: 5 } });
    await m.fit(X, y, { seed: 1 });
    const doc = JSON.parse(JSON.stringify(m.toJSON())) as Record<string, any>;
    doc.state.model.ensemble.trees[0].leafValue[0] = 123;
    expect(() => modelFromJSON(doc)).toThrow(ModelFormatError);
  });

  it('refuses prediction before fitting and on different features', async () => {
    const { X, y } = data(50, 1, 'regression');
    const m = createModel('ridge', { task: 'regression', numClass: 1 });
    expect(() => m.predict(X)).toThrow(/not fitted/);
    await m.fit(X, y, { seed: 1 });
    expect(() => m.predict({ ...X, names: ['a', 'b', 'c', 'd'] })).toThrow(DataError);
  });
});

describe('naive baselines', () => {
  const X: FeatureColumns = { columns: [Float64Array.of(0.1, NaN, -0.3)], numRows: 3, names: ['logret_5'] };
  it('predicts zero, the last return, or the base rates', async () => {
    const zero = new NaiveModel('regression', 1);
    await zero.fit(X, Float64Array.of(1, 2, 3), { seed: 1 });
    expect(Array.from(zero.predict(X))).toEqual([0, 0, 0]);
    const last = new NaiveModel('regression', 1, { strategy: 'last', feature: 'logret_5' });
    await last.fit(X, Float64Array.of(1, 2, 3), { seed: 1 });
    expect(Array.from(last.predict(X))).toEqual([0.1, 0, -0.3]);
    await expect(new NaiveModel('regression', 1, { strategy: 'last' }).fit(X, Float64Array.of(1, 2, 3), { seed: 1 })).rejects.toThrow(/needs the feature logret_1/);
    const rate = new NaiveModel('binary', 2);
    await rate.fit(X, Float64Array.of(1, 0, 1), { seed: 1 });
    expect(Array.from(rate.predict(X))).toEqual([2 / 3, 2 / 3, 2 / 3]);
    const multi = new NaiveModel('multiclass', 3);
    await multi.fit(X, Float64Array.of(2, 0, 2), { seed: 1 });
    expect(Array.from(multi.predict(X)).slice(0, 3)).toEqual([1 / 3, 0, 2 / 3]);
  });
});

describe('family traits', () => {
  it('declare trees, early stopping, thread limits, horizon parameters and the explain method in one place', () => {
    expect(GBDT_FAMILIES).toEqual(['lightgbm', 'xgboost', 'rf']);
    expect(MODEL_FAMILIES.filter((f) => familyTraits(f).earlyStopping)).toEqual(['lightgbm', 'xgboost']);
    expect(MODEL_FAMILIES.map((f) => familyTraits(f).explain)).toEqual(['treeshap', 'treeshap', 'treeshap', 'linear', 'linear', null, 'stacked']);
    expect(familyTraits('lightgbm').limitThreads?.({ num_leaves: 7 }, 1)).toEqual({ num_leaves: 7, num_threads: 1 });
    expect(familyTraits('xgboost').limitThreads?.({ nthread: 4 }, 1)).toEqual({ nthread: 4 });
    expect(familyTraits('ridge').limitThreads).toBeUndefined();
    expect(trainingParams('ensemble', {}, 5)).toEqual({ purge: 5 });
    expect(trainingParams('ensemble', { purge: 0 }, 5)).toEqual({ purge: 0 });
    expect(trainingParams('lightgbm', { num_leaves: 7 }, 5)).toEqual({ num_leaves: 7 });
    expect(() => familyTraits('catboost' as never)).toThrow(/unknown model family "catboost"/);
  });
});
