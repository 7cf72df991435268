/**
 * XGBoost's JSON model format (`Booster.save_model("m.json")`, schema of 1.0 to 3.x): a strict reader that builds
 * a pulse `GbdtModel` (origin `xgboost`) predicting exactly as XGBoost does.
 *
 * XGBoost semantics kept: float32 thresholds with strict `x < t` (pulse decision bit `DECISION_STRICT_F32`),
 * missing values to the node's default child, categorical splits whose listed categories go RIGHT (pulse's
 * bitsets go left, so children are swapped), float32 leaf values, `base_score` converted to margin space, DART
 * `weight_drop`, `num_parallel_tree` forests and `best_iteration`. Multi-target trees (vector leaves), linear
 * boosters and objectives pulse cannot transform are refused.
 */
import { ModelFormatError } from '../../core/errors.js';
import { ENGINE_VERSION, type GbdtModel, type ObjectiveName } from '../model.js';
import { DECISION_CATEGORICAL, DECISION_DEFAULT_LEFT, DECISION_STRICT_F32, type Ensemble, type Tree } from '../tree.js';
import { type TreeFieldNames, validateEnsemble } from './validate-ensemble.js';

const WHERE = 'XGBoost JSON model';
const HINT = 'save the model again with XGBoost (Booster.save_model("model.json")) and check the file was copied whole';

function fail(message: string, hint = HINT): never {
  throw new ModelFormatError(`${WHERE}: ${message}`, hint);
}

/** How an XGBoost objective maps to pulse: the objective, and base_score (output space) to margin. */
interface XgbObjective {
  name: ObjectiveName;
  outputClass?: boolean;
  toMargin: (baseScore: number) => number;
}

const identity = (b: number) => b;
const logit = (b: number) => {
  if (!(b > 0 && b < 1)) fail(`base_score ${b} must be in (0, 1) for a logistic objective`);
  return -Math.log(1 / b - 1);
};
const log = (b: number) => {
  if (!(b > 0)) fail(`base_score ${b} must be > 0 for a log-link objective`);
  return Math.log(b);
};

/** XGBoost objectives pulse can predict with. */
export const XGBOOST_OBJECTIVES: Readonly<Record<string, XgbObjective>> = {
  'reg:squarederror': { name: 'regression', toMargin: identity },
  'reg:linear': { name: 'regression', toMargin: identity },
  'reg:squaredlogerror': { name: 'regression', toMargin: identity },
  'reg:pseudohubererror': { name: 'huber', toMargin: identity },
  'reg:absoluteerror': { name: 'regression_l1', toMargin: identity },
  'reg:quantileerror': { name: 'quantile', toMargin: identity },
  'reg:logistic': { name: 'binary', toMargin: logit },
  'binary:logistic': { name: 'binary', toMargin: logit },
  // logitraw predicts the raw margin: an identity output.
  'binary:logitraw': { name: 'regression', toMargin: identity },
  'count:poisson': { name: 'poisson', toMargin: log },
  'reg:gamma': { name: 'gamma', toMargin: log },
  'reg:tweedie': { name: 'tweedie', toMargin: log },
  'multi:softprob': { name: 'multiclass', toMargin: identity },
  'multi:softmax': { name: 'multiclass', outputClass: true, toMargin: identity },
};

const XGB_NAMES: TreeFieldNames = {
  numLeaves: 'num_nodes',
  splitFeature: 'split_indices',
  threshold: 'split_conditions',
  decision: 'default_left/split_type',
  leftChild: 'left_children',
  rightChild: 'right_children',
  splitGain: 'loss_changes',
  internalCover: 'sum_hessian',
  leafCover: 'sum_hessian',
  leafValue: 'split_conditions (leaf)',
  catBoundaries: 'categories_segments',
  catThreshold: 'categories',
};

/**
 * JSON.parse after turning XGBoost's non-standard `NaN`, `Infinity` and `-Infinity` tokens (outside strings)
 * into `null` and out-of-range numbers.
 */
export function parseXgbJsonText(text: string): unknown {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash escape
      else if (ch === 34) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
    } else if (ch === 78 && text.startsWith('NaN', i)) {
      out += text.slice(last, i) + 'null';
      i += 2;
      last = i + 1;
    } else if (ch === 73 && text.startsWith('Infinity', i)) {
      out += text.slice(last, i) + '1e999';
      i += 7;
      last = i + 1;
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

function obj(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${path} is missing or not an object`);
  return v as Json;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(`${path} is missing or not an array`);
  return v;
}

/** XGBoost writes most scalars as strings ("5E-1", "[2.3E1]"); numbers are accepted too. */
function num(v: unknown, path: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim().replace(/^\[(.*)\]$/, '$1')) : NaN;
  if (Number.isNaN(n)) fail(`${path} = ${JSON.stringify(v)} is not a number`);
  return n;
}

function numbers(v: unknown, path: string, length: number): Float64Array {
  const a = arr(v, path);
  if (a.length !== length) fail(`${path} has ${a.length} values, expected ${length}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    out[i] = x === null ? NaN : typeof x === 'boolean' ? Number(x) : typeof x === 'number' ? x : fail(`${path}[${i}] = ${JSON.stringify(x)} is not a number`);
  }
  return out;
}

/** base_score: a number, a numeric string, or (3.x) a bracketed vector string such as "[2.3445919E1]". */
function baseScores(v: unknown, k: number): number[] {
  const s = typeof v === 'string' ? v.trim() : String(v);
  const parts = s.replace(/^\[/, '').replace(/\]$/, '').split(',').map((p) => num(p, 'learner_model_param.base_score'));
  if (parts.length !== 1 && parts.length !== k) fail(`learner_model_param.base_score has ${parts.length} values for ${k} outputs`);
  return Array.from({ length: k }, (_, c) => parts[parts.length === 1 ? 0 : c]);
}

function convertTree(raw: Json, path: string, numFeatures: number): Tree {
  const param = obj(raw.tree_param, `${path}.tree_param`);
  const numNodes = num(param.num_nodes, `${path}.tree_param.num_nodes`);
  if (!Number.isInteger(numNodes) || numNodes < 1) fail(`${path}.tree_param.num_nodes = ${numNodes} must be a positive integer`);
  const leafVector = param.size_leaf_vector === undefined ? 0 : num(param.size_leaf_vector, `${path}.tree_param.size_leaf_vector`);
  if (leafVector > 1) fail(`${path} is a multi-target tree (size_leaf_vector=${leafVector}), which pulse does not support`, 'train with multi_strategy="one_output_per_tree"');
  const left = numbers(raw.left_children, `${path}.left_children`, numNodes);
  const right = numbers(raw.right_children, `${path}.right_children`, numNodes);
  const feature = numbers(raw.split_indices, `${path}.split_indices`, numNodes);
  const cond = numbers(raw.split_conditions, `${path}.split_conditions`, numNodes);
  const defaultLeft = numbers(raw.default_left, `${path}.default_left`, numNodes);
  const gain = raw.loss_changes === undefined ? new Float64Array(numNodes) : numbers(raw.loss_changes, `${path}.loss_changes`, numNodes);
  const hess = raw.sum_hessian === undefined ? new Float64Array(numNodes) : numbers(raw.sum_hessian, `${path}.sum_hessian`, numNodes);
  const splitType = raw.split_type === undefined ? new Float64Array(numNodes) : numbers(raw.split_type, `${path}.split_type`, numNodes);
  // Categories of categorical nodes: categories[segments[i] .. + sizes[i]) belong to node categories_nodes[i].
  const catOf = new Map<number, number[]>();
  if (raw.categories_nodes !== undefined) {
    const nodes = arr(raw.categories_nodes, `${path}.categories_nodes`);
    const segments = numbers(raw.categories_segments, `${path}.categories_segments`, nodes.length);
    const sizes = numbers(raw.categories_sizes, `${path}.categories_sizes`, nodes.length);
    const all = arr(raw.categories, `${path}.categories`);
    nodes.forEach((node, i) => {
      const start = segments[i];
      const end = start + sizes[i];
      if (!(start >= 0 && end <= all.length && Number.isInteger(start) && Number.isInteger(end))) fail(`${path}.categories_segments[${i}] is out of range`);
      const cats = all.slice(start, end).map((c, j) => {
        if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= 1 << 24) fail(`${path}.categories[${start + j}] = ${JSON.stringify(c)} is not a category code`);
        return c;
      });
      catOf.set(num(node, `${path}.categories_nodes[${i}]`), cats);
    });
  }

  // Renumber in depth-first pre-order: internal nodes 0.., leaves 0.. (LightGBM's layout, root first).
  const internalIndex = new Int32Array(numNodes).fill(-1);
  const leafIndex = new Int32Array(numNodes).fill(-1);
  const visited = new Uint8Array(numNodes);
  const order: number[] = [];
  let numInternal = 0;
  let numLeaves = 0;
  for (const stack = [0]; stack.length > 0; ) {
    const node = stack.pop() as number;
    if (visited[node]) fail(`${path}: node ${node} is reached twice (the children arrays do not form a tree)`);
    visited[node] = 1;
    order.push(node);
    if (left[node] === -1) {
      leafIndex[node] = numLeaves++;
      continue;
    }
    internalIndex[node] = numInternal++;
    for (const [name, child] of [['left_children', left[node]], ['right_children', right[node]]] as const) {
      if (!Number.isInteger(child) || child <= 0 || child >= numNodes) fail(`${path}.${name}[${node}] = ${child} is out of range (${numNodes} nodes)`);
    }
    stack.push(right[node], left[node]);
  }
  const tree: Tree = {
    numLeaves,
    splitFeature: new Int32Array(numInternal),
    threshold: new Float64Array(numInternal),
    decision: new Uint8Array(numInternal),
    leftChild: new Int32Array(numInternal),
    rightChild: new Int32Array(numInternal),
    splitGain: new Float64Array(numInternal),
    internalCover: new Float64Array(numInternal),
    leafCover: new Float64Array(numLeaves),
    leafValue: new Float64Array(numLeaves),
    catBoundaries: Int32Array.of(0),
    catThreshold: new Uint32Array(0),
  };
  const boundaries = [0];
  const words: number[] = [];
  const ref = (node: number) => (leafIndex[node] >= 0 ? ~leafIndex[node] : internalIndex[node]);
  for (const node of order) {
    if (leafIndex[node] >= 0) {
      const l = leafIndex[node];
      tree.leafValue[l] = Math.fround(cond[node]);
      tree.leafCover[l] = hess[node];
      continue;
    }
    const n = internalIndex[node];
    const f = feature[node];
    if (!Number.isInteger(f) || f < 0 || f >= numFeatures) fail(`${path}.split_indices[${node}] = ${f} is out of range (${numFeatures} features)`);
    tree.splitFeature[n] = f;
    tree.splitGain[n] = gain[node];
    tree.internalCover[n] = hess[node];
    if (splitType[node] === 1) {
      const cats = catOf.get(node) ?? fail(`${path}: categorical node ${node} has no categories_nodes entry`);
      const max = cats.reduce((m, c) => Math.max(m, c), -1);
      const nw = (max >>> 5) + 1;
      const start = words.length;
      for (let w = 0; w < nw; w++) words.push(0);
      for (const c of cats) words[start + (c >>> 5)] = (words[start + (c >>> 5)] | (1 << (c & 31))) >>> 0;
      tree.threshold[n] = boundaries.length - 1;
      boundaries.push(words.length);
      // Listed categories go right in XGBoost, left in pulse's bitsets: swap the children, and send NaN to
      // XGBoost's default child through the default-left bit.
      tree.decision[n] = DECISION_CATEGORICAL | DECISION_STRICT_F32 | (defaultLeft[node] ? 0 : DECISION_DEFAULT_LEFT);
      tree.leftChild[n] = ref(right[node]);
      tree.rightChild[n] = ref(left[node]);
    } else if (splitType[node] === 0) {
      tree.threshold[n] = Math.fround(cond[node]);
      tree.decision[n] = DECISION_STRICT_F32 | (defaultLeft[node] ? DECISION_DEFAULT_LEFT : 0);
      tree.leftChild[n] = ref(left[node]);
      tree.rightChild[n] = ref(right[node]);
    } else {
      fail(`${path}.split_type[${node}] = ${splitType[node]} is not 0 (numerical) or 1 (categorical)`);
    }
  }
  tree.catBoundaries = Int32Array.from(boundaries);
  tree.catThreshold = Uint32Array.from(words);
  return tree;
}

/**
 * Parse an XGBoost JSON model (text of `save_model("*.json")`) into a pulse model.
 *
 * @throws ModelFormatError naming the bad field for invalid JSON, a file that is not an XGBoost model, a
 *   truncated file, an unsupported booster/objective or a tree that fails the structural checks.
 */
export function parseXgboostJson(text: string): GbdtModel {
  let root: Json;
  try {
    root = obj(parseXgbJsonText(text), 'the document');
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    fail(`the file is not valid JSON (${(error as Error).message}); it may be truncated`);
  }
  return modelFromXgbDocument(root, false);
}

/**
 * Build a pulse model from an XGBoost model document (the JSON schema; the legacy binary reader builds the same
 * shape). `baseScoreIsMargin` is true for pre-1.0 binary models, which stored base_score already in margin space.
 */
export function modelFromXgbDocument(root: Json, baseScoreIsMargin: boolean): GbdtModel {
  const learner = obj(root.learner, 'learner');
  const version = Array.isArray(root.version) ? root.version.join('.') : 'unknown';
  const lmp = obj(learner.learner_model_param, 'learner.learner_model_param');
  const numFeatures = num(lmp.num_feature, 'learner.learner_model_param.num_feature');
  const numClass = Math.max(1, lmp.num_class === undefined ? 1 : num(lmp.num_class, 'learner.learner_model_param.num_class'));
  const numTarget = lmp.num_target === undefined ? 1 : num(lmp.num_target, 'learner.learner_model_param.num_target');
  if (numTarget > 1) fail(`the model has ${numTarget} targets; pulse supports single-target models`, 'train one model per target');
  const objectiveJson = obj(learner.objective, 'learner.objective');
  const xgbObjective = String(objectiveJson.name);
  const mapping = Object.hasOwn(XGBOOST_OBJECTIVES, xgbObjective) ? XGBOOST_OBJECTIVES[xgbObjective] : undefined;
  if (!mapping) fail(`unknown objective '${xgbObjective}'`, `pulse can predict with: ${Object.keys(XGBOOST_OBJECTIVES).join(', ')}`);
  const multi = mapping.name === 'multiclass';
  const k = multi ? numClass : 1;
  if (multi && numClass < 2) fail(`objective ${xgbObjective} needs num_class >= 2, found ${numClass}`);

  let booster = obj(learner.gradient_booster, 'learner.gradient_booster');
  let weightDrop: Float64Array | undefined;
  const boosterName = String(booster.name);
  if (boosterName === 'dart') {
    const inner = obj(booster.gbtree, 'learner.gradient_booster.gbtree');
    const n = arr(obj(inner.model, 'learner.gradient_booster.gbtree.model').trees, 'learner.gradient_booster.gbtree.model.trees').length;
    weightDrop = numbers(booster.weight_drop, 'learner.gradient_booster.weight_drop', n);
    booster = inner;
  } else if (boosterName !== 'gbtree') {
    fail(`booster '${boosterName}' is not supported (only gbtree and dart)`, 'train with booster="gbtree" or "dart"');
  }
  const model = obj(booster.model, 'gradient_booster.model');
  const rawTrees = arr(model.trees, 'gradient_booster.model.trees');
  const gbParam = obj(model.gbtree_model_param, 'gradient_booster.model.gbtree_model_param');
  const numTrees = num(gbParam.num_trees, 'gbtree_model_param.num_trees');
  if (numTrees !== rawTrees.length) fail(`gbtree_model_param.num_trees = ${numTrees} but the file has ${rawTrees.length} trees: the file is truncated or edited`);
  if (rawTrees.length === 0) fail('the model has no trees');
  const parallel = gbParam.num_parallel_tree === undefined ? 1 : num(gbParam.num_parallel_tree, 'gbtree_model_param.num_parallel_tree');
  const treeInfo = numbers(model.tree_info, 'gradient_booster.model.tree_info', rawTrees.length);

  // Interleave trees so that tree t feeds class t % k, keeping each class's own order (XGBoost's sum order).
  const byClass: number[][] = Array.from({ length: k }, () => []);
  treeInfo.forEach((c, t) => {
    if (!Number.isInteger(c) || c < 0 || c >= k) fail(`tree_info[${t}] = ${c} is not a class below ${k}`);
    byClass[c].push(t);
  });
  if (byClass.some((list) => list.length !== byClass[0].length)) fail('tree_info gives the classes different numbers of trees');
  const order: number[] = [];
  for (let j = 0; j < byClass[0].length; j++) for (let c = 0; c < k; c++) order.push(byClass[c][j]);
  const trees = order.map((t) => convertTree(obj(rawTrees[t], `trees[${t}]`), `trees[${t}]`, numFeatures));
  const treeWeight = weightDrop ? Float64Array.from(order, (t) => weightDrop[t]) : undefined;

  const baseScore = Float64Array.from(baseScores(lmp.base_score ?? '0.5', k), (b) => (baseScoreIsMargin ? b : mapping.toMargin(b)));
  const ensemble: Ensemble = { trees, numTreePerIteration: k, baseScore, treeWeight, averageOutput: false, numFeatures };
  validateEnsemble(ensemble, WHERE, XGB_NAMES, (t) => `trees[${order[t]}]`);

  const names = Array.isArray(learner.feature_names) && learner.feature_names.length === numFeatures
    ? learner.feature_names.map(String)
    : Array.from({ length: numFeatures }, (_, i) => `f${i}`);
  const attributes = learner.attributes === undefined ? {} : obj(learner.attributes, 'learner.attributes');
  const best = attributes.best_iteration === undefined ? null : num(attributes.best_iteration, 'learner.attributes.best_iteration');
  const params: Record<string, number | string | boolean> = { booster: boosterName, objective: xgbObjective, xgboost_version: version };
  if (parallel !== 1) params.num_parallel_tree = parallel;
  if (Array.isArray(learner.feature_types)) params.feature_types = learner.feature_types.join(',');
  return {
    ensemble,
    objective: { name: mapping.name, numClass: k, params: {}, ...(mapping.outputClass ? { outputClass: true } : {}) },
    featureNames: names,
    mode: 'xgboost',
    params,
    seed: null,
    bestIteration: best === null ? null : (best + 1) * parallel,
    dataHash: null,
    origin: 'xgboost',
    engineVersion: ENGINE_VERSION,
  };
}
