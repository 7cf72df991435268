/**
 * Parameter importance by fANOVA (Hutter, Hoos & Leyton-Brown 2014), as Optuna 3.1's `FanovaImportanceEvaluator`:
 *
 * 1. The complete trials with a finite value are encoded as Optuna's `_SearchSpaceTransform(transform_log=False,
 *    transform_step=False)` does: numerical parameters as they are (log ranges too) on [low, high], categorical
 *    ones one-hot, one [0, 1] column per choice.
 * 2. A random forest (64 trees, max_depth 64; regression-forest.ts) is fitted to the values.
 * 3. Per tree, the variance of its prediction over the whole box, and per parameter the variance of the
 *    parameter's marginal (the prediction averaged over every other parameter, evaluated at the midpoints between
 *    the tree's split points, weighted by the intervals' widths; a categorical parameter's columns jointly).
 * 4. A parameter's importance is the mean over trees with non-zero variance of marginal variance / tree variance,
 *    and the importances are normalised to sum to 1. Constant (single-valued) parameters get 0.
 *
 * The forest draws from pulse's generator, so importances agree with Optuna's in ranking and roughly in size, not
 * to the last digit (test/optimize/fanova.test.ts states the tolerances).
 */
import { DataError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { isSingle, type SearchSpace } from '../space.js';
import type { Trial } from '../trial.js';
import { fitForest, type RegressionTree } from './regression-forest.js';

/** Options of {@link fanovaImportance}. */
export interface FanovaOptions {
  nTrees?: number;
  maxDepth?: number;
  seed?: number;
}

/** A parameter's importance (they sum to 1), largest first. */
export interface ParamImportance {
  readonly param: string;
  readonly importance: number;
}

type Box = Float64Array; // [lo0, hi0, lo1, hi1, ...]

function cardinality(box: Box): number {
  let p = 1;
  for (let i = 0; i < box.length; i += 2) p *= box[i + 1] - box[i];
  return p;
}

function weightedAverage(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    sw += weights[i];
    s += values[i] * weights[i];
  }
  return s / sw;
}

function weightedVariance(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  const mean = weightedAverage(values, weights);
  const sq = Array.from(values, (v) => (v - mean) ** 2);
  return weightedAverage(sq, weights);
}

/** Optuna's `_FanovaTree`: a fitted tree's statistics over the search box. */
class FanovaTree {
  private readonly statistics: { value: Float64Array; weight: Float64Array };
  private readonly midpoints: Float64Array[] = [];
  private readonly sizes: Float64Array[] = [];
  private readonly subtreeFeatures: Uint8Array[];
  readonly variance: number;

  constructor(private readonly tree: RegressionTree, private readonly box: Box) {
    const n = tree.feature.length;
    const nf = box.length / 2;
    const value = new Float64Array(n);
    const weight = new Float64Array(n);
    const boxes: Box[] = new Array(n);
    boxes[0] = box;
    for (let i = 0; i < n; i++) {
      if (tree.feature[i] < 0) {
        value[i] = tree.value[i];
        weight[i] = cardinality(boxes[i]);
      } else {
        boxes[tree.left[i]] = this.childBox(i, boxes[i], 'left');
        boxes[tree.right[i]] = this.childBox(i, boxes[i], 'right');
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      if (tree.feature[i] < 0) continue;
      const l = tree.left[i];
      const r = tree.right[i];
      value[i] = weightedAverage([value[l], value[r]], [weight[l], weight[r]]);
      weight[i] = weight[l] + weight[r];
    }
    this.statistics = { value, weight };

    const splits: Set<number>[] = Array.from({ length: nf }, () => new Set());
    for (let i = 0; i < n; i++) if (tree.feature[i] >= 0) splits[tree.feature[i]].add(tree.threshold[i]);
    for (let f = 0; f < nf; f++) {
      const points = [box[2 * f], ...[...splits[f]].sort((a, b) => a - b), box[2 * f + 1]];
      this.midpoints.push(Float64Array.from(points.slice(1), (p, k) => 0.5 * (p + points[k])));
      this.sizes.push(Float64Array.from(points.slice(1), (p, k) => p - points[k]));
    }

    this.subtreeFeatures = Array.from({ length: n }, () => new Uint8Array(nf));
    for (let i = n - 1; i >= 0; i--) {
      const f = tree.feature[i];
      if (f < 0) continue;
      const own = this.subtreeFeatures[i];
      own[f] = 1;
      for (const c of [tree.left[i], tree.right[i]]) for (let k = 0; k < nf; k++) own[k] |= this.subtreeFeatures[c][k];
    }

    const leaves = [];
    for (let i = 0; i < n; i++) if (tree.feature[i] < 0) leaves.push(i);
    this.variance = weightedVariance(leaves.map((i) => value[i]), leaves.map((i) => weight[i]));
  }

  private childBox(node: number, box: Box, side: 'left' | 'right'): Box {
    const out = Float64Array.from(box);
    out[2 * this.tree.feature[node] + (side === 'left' ? 1 : 0)] = this.tree.threshold[node];
    return out;
  }

  /** The variance of the marginal prediction over `features` (encoded columns of one parameter). */
  marginalVariance(features: readonly number[]): number {
    const values: number[] = [];
    const weights: number[] = [];
    const nf = this.box.length / 2;
    const sample = new Float64Array(nf).fill(NaN);
    const counts = features.map((f) => this.midpoints[f].length);
    const idx = new Array(features.length).fill(0);
    for (;;) {
      let sizeProduct = 1;
      features.forEach((f, k) => {
        sample[f] = this.midpoints[f][idx[k]];
        sizeProduct *= this.sizes[f][idx[k]];
      });
      const [value, weight] = this.marginalizedStatistics(sample);
      values.push(value);
      weights.push(weight * sizeProduct);
      // itertools.product order: the last feature varies fastest
      let k = features.length - 1;
      while (k >= 0 && ++idx[k] === counts[k]) idx[k--] = 0;
      if (k < 0) break;
    }
    return weightedVariance(values, weights);
  }

  private marginalizedStatistics(sample: Float64Array): [number, number] {
    const nf = sample.length;
    const active = Array.from(sample, (v) => !Number.isNaN(v));
    const start = Float64Array.from(this.box);
    for (let f = 0; f < nf; f++) if (!active[f]) { start[2 * f] = 0; start[2 * f + 1] = 1; }
    const nodes = [0];
    const boxes: Box[] = [start];
    const hitValues: number[] = [];
    const hitWeights: number[] = [];
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const box = boxes.pop()!;
      const f = this.tree.feature[node];
      if (f >= 0) {
        const x = sample[f];
        if (!Number.isNaN(x)) {
          const side = x <= this.tree.threshold[node] ? 'left' : 'right';
          nodes.push(side === 'left' ? this.tree.left[node] : this.tree.right[node]);
          boxes.push(this.childBox(node, box, side));
          continue;
        }
        if (active.some((a, k) => a && this.subtreeFeatures[node][k] === 1)) {
          nodes.push(this.tree.left[node], this.tree.right[node]);
          boxes.push(box, box);
          continue;
        }
      }
      hitValues.push(this.statistics.value[node]);
      hitWeights.push(this.statistics.weight[node] / cardinality(box));
    }
    return [weightedAverage(hitValues, hitWeights), hitWeights.reduce((a, b) => a + b, 0)];
  }
}

/**
 * The fANOVA importance of each parameter of `space` over the complete trials with finite values. Throws
 * `DataError` with fewer than 2 such trials or when every tree is constant (all values equal).
 */
export function fanovaImportance(space: SearchSpace, trials: readonly Trial[], options: FanovaOptions = {}): ParamImportance[] {
  const names = Object.keys(space);
  const varying = names.filter((n) => !isSingle(space[n]));
  const used = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value) && names.every((n) => t.params[n] !== undefined));
  if (varying.length === 0) return names.map((param) => ({ param, importance: 0 }));
  if (used.length < 2) throw new DataError(`parameter importance needs at least 2 complete trials (the study has ${used.length})`);

  const columns: Float64Array[] = [];
  const bounds: number[] = [];
  const encoded: number[][] = [];
  for (const name of varying) {
    const d = space[name];
    if (d.kind === 'categorical') {
      const cols: number[] = [];
      d.choices.forEach((choice) => {
        cols.push(columns.length);
        columns.push(Float64Array.from(used, (t) => (t.params[name] === choice ? 1 : 0)));
        bounds.push(0, 1);
      });
      encoded.push(cols);
    } else {
      encoded.push([columns.length]);
      columns.push(Float64Array.from(used, (t) => t.params[name] as number));
      bounds.push(d.low, d.high);
    }
  }
  const y = Float64Array.from(used, (t) => t.value!);
  const box = Float64Array.from(bounds);
  const trees = fitForest(columns, y, new Rng(options.seed ?? 0), { nTrees: options.nTrees, maxDepth: options.maxDepth }).map((t) => new FanovaTree(t, box));
  if (trees.every((t) => t.variance === 0)) throw new DataError('parameter importance is undefined: every trial has the same value');

  const raw = encoded.map((cols) => {
    const fractions = trees.filter((t) => t.variance > 0).map((t) => Math.max(0, t.marginalVariance(cols)) / t.variance);
    return fractions.reduce((a, b) => a + b, 0) / fractions.length;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  const out: ParamImportance[] = varying.map((param, i) => ({ param, importance: raw[i] / total }));
  for (const name of names) if (!varying.includes(name)) out.push({ param: name, importance: 0 });
  // Largest first; stable for ties, as Optuna's sort by importance.
  return out.sort((a, b) => b.importance - a.importance);
}
