import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { parseLightGbmText, writeLightGbmText } from '../../../src/gbdt/format/lightgbm-text.js';
import { parseXgboostJson } from '../../../src/gbdt/format/xgboost-json.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { leafIndex } from '../../../src/gbdt/tree.js';
import { fixturePath } from '../../helpers/shared.js';
import { randomModel } from '../random-model.js';

const HAND = readFileSync(fixturePath('gbdt', 'lgb-hand.txt'), 'utf8');

/** Rows and raw scores worked out by hand from lgb-hand.txt (see the comments). */
const ROWS: [number[], number, string][] = [
  [[1.0, 0.0, 3], 0.1 - 0.4, 'f1 = 0 is missing (zero type), default left; category 3 is in the bitset 0b1010'],
  [[NaN, 2.0, 2], 0.2 + 0.5, 'NaN on a NaN-missing node goes default left; category 2 is not in the set'],
  [[2.0, NaN, NaN], 0.3 + 0.5, 'NaN category goes right'],
  [[1.5, -1, 1], 0.1 - 0.4, 'x == threshold goes left (<=); category 1 is in the set'],
  [[0, NaN, 35], 0.1 + 0.5, 'NaN on a zero-missing node is zero, so missing; category 35 is beyond the bitset'],
  [[-3, 1e-36, -1], 0.1 + 0.5, '|x| <= 1e-35 counts as zero; negative categories go right'],
  [[-3, -0.2, 0], 0.2 + 0.5, '-0.2 > -0.5 goes right; category 0 is not in the set'],
];

describe('LightGBM text: hand-checked model', () => {
  const model = parseLightGbmText(HAND);

  it('reads the header, objective, parameters and trees', () => {
    expect(model.featureNames).toEqual(['ret_1d', 'volume_z', 'sector']);
    expect(model.objective).toEqual({ name: 'binary', numClass: 1, params: { sigmoid: 1 } });
    expect(model.params).toMatchObject({ boosting: 'gbdt', learning_rate: 0.1, seed: 3 });
    expect(model.seed).toBe(3);
    expect(model.origin).toBe('lightgbm');
    expect(model.ensemble.trees.map((t) => t.numLeaves)).toEqual([3, 2]);
  });

  it('predicts the hand-computed raw scores and probabilities', () => {
    const X = Float64Array.from(ROWS.flatMap((r) => r[0]));
    const raw = predictBatchSync(model, X, ROWS.length, { raw: true });
    const prob = predictBatchSync(model, X, ROWS.length);
    ROWS.forEach(([, expected, why], i) => {
      expect(raw[i], why).toBeCloseTo(expected, 15);
      expect(prob[i], why).toBeCloseTo(1 / (1 + Math.exp(-expected)), 15);
    });
  });

  it('writes LightGBM layout: header, tree_sizes that match the blocks, end of trees, parameters', () => {
    const text = writeLightGbmText(model);
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual(['tree', 'version=v4', 'num_class=1', 'num_tree_per_iteration=1', 'label_index=0', 'max_feature_idx=2', 'objective=binary sigmoid:1']);
    const sizes = lines.find((l) => l.startsWith('tree_sizes='))!.slice(11).split(' ').map(Number);
    const t0 = text.indexOf('Tree=0');
    const t1 = text.indexOf('Tree=1');
    const end = text.indexOf('end of trees');
    expect([t1 - t0, end - t1]).toEqual(sizes);
    expect(text).toContain('\nfeature_importances:\nret_1d=1\n');
    expect(text).toMatch(/\nparameters:\n\[boosting: gbdt\]\n[\s\S]*\nend of parameters\n\npandas_categorical:null\n$/);
    expect(text).toContain('cat_boundaries=0 1\ncat_threshold=10\n');
  });

  it('round-trips random pulse models exactly through LightGBM text (base score folded into the first trees)', () => {
    const rng = new Rng(3);
    for (const k of [1, 4]) {
      const pulse = randomModel(rng, { numFeatures: 5, numTrees: 8 * k, k, categorical: true });
      const again = parseLightGbmText(writeLightGbmText(pulse));
      const X = Float64Array.from({ length: 200 * 5 }, () => (rng.next() < 0.1 ? NaN : (rng.next() - 0.5) * 8));
      const a = predictBatchSync(pulse, X, 200, { raw: true });
      const b = predictBatchSync(again, X, 200, { raw: true });
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-12);
      const same = { ...pulse, ensemble: { ...pulse.ensemble, baseScore: new Float64Array(k) } };
      const exact = parseLightGbmText(writeLightGbmText(same));
      expect(Array.from(predictBatchSync(exact, X, 200, { raw: true }))).toEqual(Array.from(predictBatchSync(same, X, 200, { raw: true })));
    }
  });

  it('exports XGBoost float32 strict splits as equivalent <= thresholds (same leaves at and around every threshold)', () => {
    const xgb = parseXgboostJson(readFileSync(fixturePath('gbdt', 'xgb-regression.model.json'), 'utf8'));
    const lgb = parseLightGbmText(writeLightGbmText(xgb));
    const probes: number[] = [NaN];
    for (const tree of xgb.ensemble.trees) {
      for (const t of tree.threshold) {
        const f = new Float32Array([t]);
        const bits = new Int32Array(f.buffer);
        for (const d of [-1, 0, 1]) {
          bits[0] += d;
          probes.push(f[0], (f[0] + t) / 2, f[0] + 1e-12, f[0] - 1e-12);
          bits[0] -= d;
        }
      }
    }
    const nf = xgb.ensemble.numFeatures;
    const row = new Float64Array(nf);
    for (const x of probes) {
      row.fill(x);
      xgb.ensemble.trees.forEach((tree, t) => expect(leafIndex(lgb.ensemble.trees[t], row)).toBe(leafIndex(tree, row)));
    }
  });
});

describe('LightGBM text: objectives and modes from the header', () => {
  const X = Float64Array.of(1.0, 0.0, 3, NaN, 2.0, 2);
  it('average_output (random forest) averages the trees', () => {
    const rf = parseLightGbmText(HAND.replace('feature_names=', 'average_output\nfeature_names=').replace('[boosting: gbdt]', '[boosting: rf]'));
    expect(rf.mode).toBe('rf');
    const raw = predictBatchSync(rf, X, 2, { raw: true });
    expect(raw[0]).toBeCloseTo((0.1 - 0.4) / 2, 15);
    expect(raw[1]).toBeCloseTo((0.2 + 0.5) / 2, 15);
  });

  it('multiclassova: two trees per iteration, an independent logistic per class', () => {
    const ova = parseLightGbmText(
      HAND.replace('num_class=1\nnum_tree_per_iteration=1', 'num_class=2\nnum_tree_per_iteration=2').replace('objective=binary sigmoid:1', 'objective=multiclassova num_class:2 sigmoid:2'),
    );
    expect(ova.objective).toEqual({ name: 'multiclassova', numClass: 2, params: { sigmoid: 2 } });
    const p = predictBatchSync(ova, X, 2);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-2 * 0.1)), 15);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(2 * 0.4)), 15);
    expect(p[3]).toBeCloseTo(1 / (1 + Math.exp(-2 * 0.5)), 15);
  });

  it('cross_entropy ignores the sigmoid slope; poisson exponentiates', () => {
    const xent = parseLightGbmText(HAND.replace('objective=binary sigmoid:1', 'objective=cross_entropy'));
    expect(predictBatchSync(xent, X, 2)[1]).toBeCloseTo(1 / (1 + Math.exp(-0.7)), 15);
    const poisson = parseLightGbmText(HAND.replace('objective=binary sigmoid:1', 'objective=poisson'));
    expect(predictBatchSync(poisson, X, 2)[1]).toBeCloseTo(Math.exp(0.7), 14);
  });

  it('refuses reg_sqrt and a class count that disagrees with the trees per iteration', () => {
    expect(() => parseLightGbmText(HAND.replace('objective=binary sigmoid:1', 'objective=regression sqrt'))).toThrow(/reg_sqrt/);
    expect(() => parseLightGbmText(HAND.replace('objective=binary sigmoid:1', 'objective=multiclass num_class:3'))).toThrow(/3 classes but num_tree_per_iteration=1/);
  });
});

describe('LightGBM text: bad files are refused with a clear ModelFormatError', () => {
  const cases: [string, string, RegExp][] = [
    ['not LightGBM', '{"learner": {}}', /not a LightGBM text model/],
    ['truncated inside a tree', HAND.slice(0, HAND.indexOf('leaf_value=-0.4')), /the file is truncated: tree_sizes add up to 636 bytes/],
    ['truncated after the trees', HAND.slice(0, HAND.indexOf('end of trees')), /truncated/],
    ['NaN leaf value', HAND.replace('leaf_value=-0.40000000000000002 0.5', 'leaf_value=nan 0.5'), /Tree=1: leaf_value\[0\] = NaN is not a finite number/],
    ['child out of range', HAND.replace('left_child=1 -1', 'left_child=7 -1'), /Tree=0: left_child\[0\] = 7 is out of range/],
    ['unknown objective', HAND.replace('objective=binary sigmoid:1', 'objective=lambdarank'), /unknown objective 'lambdarank'/],
    ['linear tree', HAND.replace('is_linear=0', 'is_linear=1'), /linear tree/],
    ['bad number', HAND.replace('threshold=1.5 -0.5', 'threshold=1.5 abc'), /Tree=0: threshold\[1\] = 'abc' is not a number/],
    ['feature out of range', HAND.replace('split_feature=0 1', 'split_feature=0 9'), /split_feature\[1\] = 9 is out of range/],
    ['missing header', HAND.replace('max_feature_idx=2\n', ''), /no max_feature_idx/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      expect(() => parseLightGbmText(text)).toThrow(ModelFormatError);
      expect(() => parseLightGbmText(text)).toThrow(message);
    });
  }
});
