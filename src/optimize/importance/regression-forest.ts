/**
 * The random forest fANOVA fits, built as scikit-learn's `RandomForestRegressor` with the settings Optuna's
 * `FanovaImportanceEvaluator` passes (64 trees, max_depth 64, min_samples_split 2, min_samples_leaf 1) and
 * sklearn's defaults otherwise: each tree on a bootstrap sample (rows drawn with replacement, kept as weights),
 * all features considered at every split (max_features 1.0), squared error, thresholds halfway between adjacent
 * distinct values, a node left as a leaf when its values are constant or no feature varies by more than 1e-7.
 * Its draws come from pulse's generator, so trees equal sklearn's in kind, not bit for bit.
 */
import type { Rng } from '../../core/rng.js';

/** A fitted regression tree in sklearn's array layout (node 0 the root; children after their parent). */
export interface RegressionTree {
  /** Split feature per node; -1 for a leaf. */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Weighted mean target per node. */
  readonly value: Float64Array;
}

/** Forest settings; defaults are Optuna's fANOVA ones. */
export interface ForestOptions {
  nTrees?: number;
  maxDepth?: number;
}

const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;

/** Fit one tree on rows with weights (bootstrap counts); `columns[f][row]` are the features. */
export function fitTree(columns: readonly Float64Array[], y: Float64Array, weight: Float64Array, maxDepth: number, rng: Rng): RegressionTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const nFeatures = columns.length;
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (weight[i] > 0) rows.push(i);

  const build = (nodeRows: number[], depth: number): number => {
    const id = feature.length;
    let w = 0;
    let s = 0;
    let s2 = 0;
    for (const r of nodeRows) {
      w += weight[r];
      s += weight[r] * y[r];
      s2 += weight[r] * y[r] * y[r];
    }
    feature.push(-1);
    threshold.push(-2);
    left.push(-1);
    right.push(-1);
    value.push(s / w);
    const impurity = s2 / w - (s / w) ** 2;
    if (depth >= maxDepth || nodeRows.length < 2 || impurity <= EPSILON) return id;

    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestThreshold = 0;
    const order = rng.shuffle(Array.from({ length: nFeatures }, (_, f) => f));
    for (const f of order) {
      const x = columns[f];
      const sorted = [...nodeRows].sort((a, b) => x[a] - x[b]);
      if (x[sorted[sorted.length - 1]] <= x[sorted[0]] + FEATURE_THRESHOLD) continue;
      let wl = 0;
      let sl = 0;
      for (let p = 0; p < sorted.length - 1; p++) {
        const r = sorted[p];
        wl += weight[r];
        sl += weight[r] * y[r];
        const xa = x[r];
        const xb = x[sorted[p + 1]];
        if (xb <= xa + FEATURE_THRESHOLD) continue;
        const wr = w - wl;
        const sr = s - sl;
        const proxy = (sl * sl) / wl + (sr * sr) / wr;
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestFeature = f;
          let t = xa / 2 + xb / 2;
          if (t === xb || !Number.isFinite(t)) t = xa;
          bestThreshold = t;
        }
      }
    }
    if (bestFeature < 0) return id;
    const x = columns[bestFeature];
    const lRows = nodeRows.filter((r) => x[r] <= bestThreshold);
    const rRows = nodeRows.filter((r) => x[r] > bestThreshold);
    feature[id] = bestFeature;
    threshold[id] = bestThreshold;
    left[id] = build(lRows, depth + 1);
    right[id] = build(rRows, depth + 1);
    return id;
  };
  build(rows, 0);
  return {
    feature: Int32Array.from(feature), threshold: Float64Array.from(threshold),
    left: Int32Array.from(left), right: Int32Array.from(right), value: Float64Array.from(value),
  };
}

/** Fit a forest: each tree on its own bootstrap sample, from its own forked generator. */
export function fitForest(columns: readonly Float64Array[], y: Float64Array, rng: Rng, options: ForestOptions = {}): RegressionTree[] {
  const nTrees = options.nTrees ?? 64;
  const maxDepth = options.maxDepth ?? 64;
  const n = y.length;
  const trees: RegressionTree[] = [];
  for (let t = 0; t < nTrees; t++) {
    const treeRng = rng.fork(t);
    const weight = new Float64Array(n);
    for (let i = 0; i < n; i++) weight[treeRng.int(n)] += 1;
    trees.push(fitTree(columns, y, weight, maxDepth, treeRng));
  }
  return trees;
}
