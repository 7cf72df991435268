import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { looksLikeXgboostBinary, parseXgboostBinary } from '../../../src/gbdt/format/xgboost-binary.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { HAS_SHARED, sharedPath } from '../../helpers/shared.js';
import { maxUlpF32, readDense, readLibsvm } from './oracle-data.js';

const dir = (...p: string[]) => sharedPath('data', 'gbdt-models', ...p);

describe.skipIf(!HAS_SHARED)('legacy binary XGBoost models (../shared oracles)', () => {
  it('xgb-binary-model-agaricus: binary:logistic probabilities', () => {
    const bytes = readFileSync(dir('xgb-binary-model-agaricus', 'xgagaricus.model'));
    expect(looksLikeXgboostBinary(bytes)).toBe(true);
    const model = parseXgboostBinary(bytes);
    expect(model.objective.name).toBe('binary');
    expect(model.ensemble.trees.length).toBe(3);
    const { X, rows } = readLibsvm(dir('xgb-binary-model-agaricus', 'agaricus_test.libsvm'), 127, NaN);
    const truth = readDense(dir('xgb-binary-model-agaricus', 'xgagaricus_true_predictions.txt'), { sep: '\t' }).X;
    expect(maxUlpF32(predictBatchSync(model, X, rows), truth)).toBe(0);
  });

  it('xgb-binary-model-multi-softmax-dermatology: raw margins and arg-max classes', () => {
    const model = parseXgboostBinary(readFileSync(dir('xgb-binary-model-multi-softmax-dermatology', 'xgdermatology.model')));
    expect(model.objective).toMatchObject({ name: 'multiclass', numClass: 6, outputClass: true });
    const { X, rows } = readLibsvm(dir('xgb-binary-model-multi-softmax-dermatology', 'dermatology_test.libsvm'), 33, NaN);
    const truth = readDense(dir('xgb-binary-model-multi-softmax-dermatology', 'xgdermatology_true_predictions.txt'), { sep: '\t' }).X;
    const raw = predictBatchSync(model, X, rows, { raw: true });
    expect(maxUlpF32(raw, truth)).toBe(0);
    const classes = predictBatchSync(model, X, rows);
    expect(classes.length).toBe(rows);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(truth.subarray(r * 6, r * 6 + 6));
      expect(classes[r]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('a truncated binary model is refused, naming where it ends', () => {
    const bytes = readFileSync(dir('xgb-binary-model-multi-softmax-dermatology', 'xgdermatology.model'));
    expect(() => parseXgboostBinary(bytes.subarray(0, 5000))).toThrow(/truncated/);
  });
});

describe('legacy binary XGBoost models (synthetic bytes)', () => {
  /** A minimal pre-1.0 binary model: one tree, root split on feature 1 at 0.5 (default left), two leaves. */
  function tinyModel(objective: string, baseScore: number, leaves: [number, number]): Uint8Array {
    const parts: Uint8Array[] = [];
    const view = (n: number, fill: (v: DataView) => void) => {
      const b = new Uint8Array(n);
      fill(new DataView(b.buffer));
      parts.push(b);
    };
    view(136, (v) => {
      v.setFloat32(0, baseScore, true);
      v.setUint32(4, 2, true);
    });
    const str = (s: string) => {
      view(8, (v) => v.setBigUint64(0, BigInt(s.length), true));
      parts.push(new TextEncoder().encode(s));
    };
    str(objective);
    str('gbtree');
    view(160, (v) => {
      v.setInt32(0, 1, true);
      v.setInt32(8, 2, true);
      v.setInt32(24, 1, true);
    });
    view(148, (v) => v.setInt32(4, 3, true));
    view(60, (v) => {
      // node 0: parent -1, children 1 and 2, split index 1 with the default-left bit, condition 0.5
      v.setInt32(0, -1, true);
      v.setInt32(4, 1, true);
      v.setInt32(8, 2, true);
      v.setUint32(12, (1 | 0x80000000) >>> 0, true);
      v.setFloat32(16, 0.5, true);
      for (const [i, leaf] of [[1, leaves[0]], [2, leaves[1]]]) {
        v.setInt32(i * 20, 0, true);
        v.setInt32(i * 20 + 4, -1, true);
        v.setInt32(i * 20 + 8, -1, true);
        v.setFloat32(i * 20 + 16, leaf, true);
      }
    });
    view(48, (v) => [0, 1, 2].forEach((i) => v.setFloat32(i * 16 + 4, 10 - i * 3, true)));
    view(4, () => undefined);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  it('reads the layout: split, default direction, float32 leaves, margin-space base score', () => {
    const model = parseXgboostBinary(tinyModel('reg:squarederror', 0.25, [-1.5, 2.5]));
    const raw = predictBatchSync(model, Float64Array.of(0, 0.4, 0, 0.5, 0, NaN), 3, { raw: true });
    expect(Array.from(raw)).toEqual([0.25 - 1.5, 0.25 + 2.5, 0.25 - 1.5]);
  });

  it('names the binary format in errors from the shared conversion', () => {
    expect(() => parseXgboostBinary(tinyModel('rank:pairwise', 0, [1, 2]))).toThrow(/^XGBoost binary model: unknown objective 'rank:pairwise'/);
  });
});
