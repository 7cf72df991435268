/** Random (but valid) ensembles for property tests of prediction, formats and TreeSHAP. */
import type { Rng } from '../../src/core/rng.js';
import type { GbdtModel } from '../../src/gbdt/model.js';
import { DECISION_CATEGORICAL, DECISION_STRICT_F32, type Tree } from '../../src/gbdt/tree.js';

/**
 * A random tree grown leaf-wise to `numLeaves` leaves, with every LightGBM decision type and optional bitsets;
 * `xgboost` makes XGBoost-style nodes instead (float32 strict thresholds, default child for NaN).
 */
export function randomTree(rng: Rng, numFeatures: number, numLeaves: number, categorical: boolean, xgboost = false): Tree {
  const n = numLeaves - 1;
  const tree: Tree = {
    numLeaves,
    splitFeature: new Int32Array(n),
    threshold: new Float64Array(n),
    decision: new Uint8Array(n),
    leftChild: new Int32Array(n),
    rightChild: new Int32Array(n),
    splitGain: new Float64Array(n),
    internalCover: new Float64Array(n),
    leafCover: new Float64Array(numLeaves),
    leafValue: new Float64Array(numLeaves),
    catBoundaries: Int32Array.of(0),
    catThreshold: new Uint32Array(0),
  };
  // Leaf-wise growth: split a random current leaf; LightGBM numbering (new node = split index, new leaf = count).
  const leafParent: { node: number; left: boolean }[] = [{ node: -1, left: true }];
  const boundaries = [0];
  const words: number[] = [];
  for (let s = 0; s < n; s++) {
    const leaf = Math.floor(rng.next() * (s + 1));
    const { node: parent, left } = leafParent[leaf];
    if (parent >= 0) (left ? tree.leftChild : tree.rightChild)[parent] = s;
    tree.leftChild[s] = ~leaf;
    tree.rightChild[s] = ~(s + 1);
    leafParent[leaf] = { node: s, left: true };
    leafParent[s + 1] = { node: s, left: false };
    tree.splitFeature[s] = Math.floor(rng.next() * numFeatures);
    tree.splitGain[s] = rng.next() * 10;
    if (categorical && rng.next() < 0.3) {
      tree.decision[s] = DECISION_CATEGORICAL | (xgboost ? DECISION_STRICT_F32 | (rng.next() < 0.5 ? 2 : 0) : Math.floor(rng.next() * 3) << 2);
      tree.threshold[s] = boundaries.length - 1;
      words.push(Math.floor(rng.next() * 2 ** 32) >>> 0);
      boundaries.push(words.length);
    } else {
      tree.decision[s] = (xgboost ? DECISION_STRICT_F32 : Math.floor(rng.next() * 3) << 2) | (rng.next() < 0.5 ? 2 : 0);
      // Coarse thresholds, so that test rows often hit a threshold exactly.
      tree.threshold[s] = xgboost ? Math.fround((rng.next() - 0.5) * 6) : Math.round((rng.next() - 0.5) * 12) / 2;
    }
  }
  tree.catBoundaries = Int32Array.from(boundaries);
  tree.catThreshold = Uint32Array.from(words);
  for (let l = 0; l < numLeaves; l++) {
    tree.leafValue[l] = (rng.next() - 0.5) * 2;
    tree.leafCover[l] = 1 + Math.floor(rng.next() * 50);
  }
  // Internal covers are the sums of their children's.
  const coverOf = (c: number): number => (c < 0 ? tree.leafCover[~c] : (tree.internalCover[c] = coverOf(tree.leftChild[c]) + coverOf(tree.rightChild[c])));
  if (n > 0) coverOf(0);
  return tree;
}

/** A random pulse model: `numTrees` trees (a multiple of `k`), multiclass when k > 1. */
export function randomModel(rng: Rng, o: { numFeatures: number; numTrees: number; k: number; categorical: boolean; xgboost?: boolean }): GbdtModel {
  const trees = Array.from({ length: o.numTrees }, () => randomTree(rng, o.numFeatures, 2 + Math.floor(rng.next() * 14), o.categorical, o.xgboost));
  return {
    ensemble: {
      trees,
      numTreePerIteration: o.k,
      baseScore: Float64Array.from({ length: o.k }, () => rng.next() - 0.5),
      averageOutput: false,
      numFeatures: o.numFeatures,
    },
    objective: o.k > 1 ? { name: 'multiclass', numClass: o.k, params: {} } : { name: 'binary', numClass: 1, params: { sigmoid: 1 } },
    featureNames: Array.from({ length: o.numFeatures }, (_, i) => `x${i}`),
    mode: 'lightgbm',
    params: { learning_rate: 0.1, num_leaves: 15 },
    seed: 42,
    bestIteration: null,
    dataHash: null,
    origin: 'pulse',
    engineVersion: '1.0.0',
  };
}
