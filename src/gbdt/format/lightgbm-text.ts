/**
 * LightGBM's text model format (`model.txt`, versions v2, v3 and v4): a strict reader that builds a pulse
 * `GbdtModel`, and a writer that follows LightGBM's `GBDT::SaveModelToString` / `Tree::ToString` layout (header,
 * `feature_infos`, `tree_sizes`, `Tree=` blocks, `end of trees`, `feature_importances:`, `parameters:`) so that
 * LightGBM itself can load pulse models.
 *
 * Supported: numerical splits with default-left and missing types (none, zero, NaN), categorical bitset splits,
 * gbdt/dart/goss models (DART leaves are stored already normalised) and random-forest `average_output`. Linear
 * trees (`is_linear=1`) and objectives pulse cannot transform (lambdarank, fair, mape, `reg_sqrt`) are refused.
 */
import { ModelFormatError } from '../../core/errors.js';
import { PARAMS } from '../params.js';
import { ENGINE_VERSION, type GbdtModel, type ObjectiveName, type ObjectiveSpec } from '../model.js';
import { DECISION_CATEGORICAL, DECISION_DEFAULT_LEFT, DECISION_STRICT_F32, MISSING_NAN, type Ensemble, type Tree } from '../tree.js';
import { strictF32ToLessEqual } from '../predict-kernel.js';
import { type TreeFieldNames, validateEnsemble } from './validate-ensemble.js';

/** LightGBM objective names (as written in `objective=`) that pulse can predict with. */
export const LIGHTGBM_OBJECTIVES: Readonly<Record<string, ObjectiveName>> = {
  regression: 'regression',
  regression_l2: 'regression',
  regression_l1: 'regression_l1',
  huber: 'huber',
  quantile: 'quantile',
  binary: 'binary',
  multiclass: 'multiclass',
  multiclassova: 'multiclassova',
  poisson: 'poisson',
  cross_entropy: 'cross_entropy',
  gamma: 'gamma',
  tweedie: 'tweedie',
  // A custom objective trains on raw scores and LightGBM predicts them untransformed.
  custom: 'regression',
};

const LGB_NAMES: TreeFieldNames = {
  numLeaves: 'num_leaves',
  splitFeature: 'split_feature',
  threshold: 'threshold',
  decision: 'decision_type',
  leftChild: 'left_child',
  rightChild: 'right_child',
  splitGain: 'split_gain',
  internalCover: 'internal_count',
  leafCover: 'leaf_count',
  leafValue: 'leaf_value',
  catBoundaries: 'cat_boundaries',
  catThreshold: 'cat_threshold',
};

const WHERE = 'LightGBM model';
const HINT = 'save the model again with LightGBM (Booster.save_model) and check the file was copied whole';

function fail(message: string, hint = HINT): never {
  throw new ModelFormatError(`${WHERE}: ${message}`, hint);
}

function parseNumbers(value: string | undefined, field: string, where: string, expected: number): number[] {
  if (value === undefined) {
    if (expected === 0) return [];
    fail(`${where}: missing field ${field}`);
  }
  const tokens = value.trim() === '' ? [] : value.trim().split(/\s+/);
  if (tokens.length !== expected) fail(`${where}: ${field} has ${tokens.length} values, expected ${expected}`);
  return tokens.map((tok, i) => {
    const v = tok === 'inf' ? Infinity : tok === '-inf' ? -Infinity : Number(tok);
    if (Number.isNaN(v) && tok.toLowerCase() !== 'nan') fail(`${where}: ${field}[${i}] = '${tok}' is not a number`);
    return v;
  });
}

function parseObjective(line: string | undefined, numTreePerIteration: number): ObjectiveSpec {
  const tokens = (line ?? 'custom').trim().split(/\s+/);
  const lgbName = tokens[0];
  const name = Object.hasOwn(LIGHTGBM_OBJECTIVES, lgbName) ? LIGHTGBM_OBJECTIVES[lgbName] : undefined;
  if (!name) {
    fail(`unknown objective '${lgbName}'`, `pulse can predict with: ${Object.keys(LIGHTGBM_OBJECTIVES).join(', ')}`);
  }
  const params: Record<string, number> = {};
  for (const tok of tokens.slice(1)) {
    if (tok === 'sqrt') fail(`objective '${line}' uses reg_sqrt, which pulse does not support`, 'retrain without reg_sqrt');
    const [key, value] = tok.split(':');
    const v = Number(value);
    if (value === undefined || Number.isNaN(v)) fail(`objective parameter '${tok}' is not key:number`);
    params[key] = v;
  }
  const multi = name === 'multiclass' || name === 'multiclassova';
  const numClass = multi ? (params.num_class ?? numTreePerIteration) : 1;
  if (numClass !== numTreePerIteration) {
    fail(`objective '${line}' has ${numClass} classes but num_tree_per_iteration=${numTreePerIteration}`);
  }
  delete params.num_class;
  return { name, numClass, params };
}

function parseParameters(lines: string[]): Record<string, number | string | boolean> {
  const params: Record<string, number | string | boolean> = {};
  for (const line of lines) {
    const m = /^\[([^:\]]+): ?(.*)\]$/.exec(line.trim());
    if (!m) continue;
    const [, key, raw] = m;
    const n = Number(raw);
    params[key] = raw !== '' && Number.isFinite(n) ? n : raw;
  }
  return params;
}

function parseTree(fields: Map<string, string>, where: string): Tree {
  const get = (key: string) => fields.get(key);
  const numLeaves = Number(get('num_leaves'));
  if (!Number.isInteger(numLeaves) || numLeaves < 1) fail(`${where}: num_leaves = '${get('num_leaves')}' is not a positive integer`);
  if (Number(get('is_linear') ?? '0') !== 0) {
    fail(`${where} is a linear tree (is_linear=1), which pulse does not support`, 'retrain with linear_tree=false to import the model');
  }
  const n = numLeaves - 1;
  const numCat = Number(get('num_cat') ?? '0');
  if (!Number.isInteger(numCat) || numCat < 0) fail(`${where}: num_cat = '${get('num_cat')}' is not a non-negative integer`);
  const leafCount = get('leaf_count') !== undefined ? 'leaf_count' : 'leaf_weight';
  const internalCount = get('internal_count') !== undefined ? 'internal_count' : 'internal_weight';
  const numbers = (key: string, length: number, optional = false) =>
    optional && get(key) === undefined ? new Array<number>(length).fill(0) : parseNumbers(get(key), key, where, length);
  const decision = numbers('decision_type', n);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(decision[i]) || decision[i] < 0 || decision[i] > 15) fail(`${where}: decision_type[${i}] = ${decision[i]} is not a LightGBM decision type (0..15)`);
  }
  const catBoundaries = numCat > 0 ? numbers('cat_boundaries', numCat + 1) : [0];
  const numWords = catBoundaries[numCat];
  if (!Number.isInteger(numWords) || numWords < 0) fail(`${where}: cat_boundaries ends at ${numWords}`);
  const catThreshold = numCat > 0 ? numbers('cat_threshold', numWords) : [];
  for (let i = 0; i < catThreshold.length; i++) {
    const w = catThreshold[i];
    if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) fail(`${where}: cat_threshold[${i}] = ${w} is not a 32-bit word`);
  }
  const tree: Tree = {
    numLeaves,
    splitFeature: Int32Array.from(numbers('split_feature', n)),
    threshold: Float64Array.from(numbers('threshold', n)),
    decision: Uint8Array.from(decision),
    leftChild: Int32Array.from(numbers('left_child', n)),
    rightChild: Int32Array.from(numbers('right_child', n)),
    splitGain: Float64Array.from(numbers('split_gain', n, true)),
    internalCover: Float64Array.from(numbers(internalCount, n, true)),
    leafCover: Float64Array.from(numbers(leafCount, numLeaves, numLeaves === 1)),
    leafValue: Float64Array.from(numbers('leaf_value', numLeaves)),
    catBoundaries: Int32Array.from(catBoundaries),
    catThreshold: Uint32Array.from(catThreshold),
  };
  return tree;
}

/**
 * Parse a LightGBM text model into a pulse model (origin `lightgbm`).
 *
 * @throws ModelFormatError naming the bad line or field for a file that is not a LightGBM model, is truncated,
 *   uses an unsupported feature (linear trees, unknown objective) or fails the structural checks.
 */
export function parseLightGbmText(text: string): GbdtModel {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'tree') {
    fail(`not a LightGBM text model: the first line is '${(lines[0] ?? '').slice(0, 40)}', expected 'tree'`, 'pass a file written by LightGBM save_model');
  }
  const header = new Map<string, string>();
  let i = 1;
  for (; i < lines.length && !lines[i].startsWith('Tree='); i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('end of trees')) continue;
    const eq = line.indexOf('=');
    header.set(eq < 0 ? line.trim() : line.slice(0, eq), eq < 0 ? '' : line.slice(eq + 1));
  }
  const version = header.get('version');
  const requireInt = (key: string): number => {
    const v = Number(header.get(key));
    if (header.get(key) === undefined) fail(`the header has no ${key}`);
    if (!Number.isInteger(v)) fail(`header ${key}='${header.get(key)}' is not an integer`);
    return v;
  };
  const numClassHeader = requireInt('num_class');
  const k = header.has('num_tree_per_iteration') ? requireInt('num_tree_per_iteration') : numClassHeader;
  const numFeatures = requireInt('max_feature_idx') + 1;
  const featureNames = (header.get('feature_names') ?? fail('the header has no feature_names')).trim().split(/\s+/);
  if (featureNames.length !== numFeatures) fail(`feature_names has ${featureNames.length} names but max_feature_idx=${numFeatures - 1}`);
  const objective = parseObjective(header.get('objective'), k);

  const sizesField = header.get('tree_sizes');
  if (sizesField !== undefined && i < lines.length) {
    // LightGBM locates trees by these byte sizes: a file shorter than their sum lost its tail.
    const declared = sizesField.trim().split(/\s+/).reduce((sum, v) => sum + Number(v), 0);
    const available = new TextEncoder().encode(text.slice(text.indexOf('\nTree=') + 1)).length;
    if (!(available >= declared)) fail(`the file is truncated: tree_sizes add up to ${declared} bytes but only ${available} follow the header`);
  }
  const trees: Tree[] = [];
  let sawEnd = false;
  let paramLines: string[] = [];
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith('Tree=')) {
      const index = Number(line.slice(5));
      if (index !== trees.length) fail(`found '${line}' where Tree=${trees.length} was expected`);
      const fields = new Map<string, string>();
      for (i++; i < lines.length && !lines[i].startsWith('Tree=') && !lines[i].startsWith('end of trees'); i++) {
        const l = lines[i];
        const eq = l.indexOf('=');
        if (eq > 0) fields.set(l.slice(0, eq), l.slice(eq + 1));
        else if (l.trim() !== '') break; // v2 files end the last tree with 'feature importances:'
      }
      trees.push(parseTree(fields, `Tree=${index}`));
      continue;
    }
    if (line.startsWith('end of trees')) sawEnd = true;
    if (line.trim() === 'parameters:') {
      const end = lines.indexOf('end of parameters', i);
      if (end < 0) fail("the parameters: block has no 'end of parameters' line: the file is truncated");
      paramLines = lines.slice(i + 1, end);
      i = end;
    }
    i++;
  }
  if (trees.length === 0) fail('the file has no Tree= blocks');
  const sizes = header.get('tree_sizes');
  if (sizes !== undefined && sizes.trim().split(/\s+/).length !== trees.length) {
    fail(`tree_sizes lists ${sizes.trim().split(/\s+/).length} trees but the file has ${trees.length}: the file is truncated`);
  }
  if (!sawEnd && version !== undefined && version !== 'v2') fail("no 'end of trees' line: the file is truncated");
  const params = parseParameters(paramLines);
  const ensemble: Ensemble = {
    trees,
    numTreePerIteration: k,
    baseScore: new Float64Array(k),
    averageOutput: header.has('average_output'),
    numFeatures,
  };
  validateEnsemble(ensemble, WHERE, LGB_NAMES, (t) => `Tree=${t}`);
  const seed = typeof params.seed === 'number' ? params.seed : null;
  return {
    ensemble,
    objective,
    featureNames,
    mode: params.boosting === 'rf' || ensemble.averageOutput ? 'rf' : 'lightgbm',
    params,
    seed,
    bestIteration: null,
    dataHash: null,
    origin: 'lightgbm',
    engineVersion: ENGINE_VERSION,
  };
}

function fmt(values: ArrayLike<number>): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out.push(v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v));
  }
  return out.join(' ');
}

function objectiveLine(spec: ObjectiveSpec): string {
  const parts: string[] = [spec.name];
  if (spec.outputClass) {
    throw new ModelFormatError('cannot export an XGBoost multi:softmax model as LightGBM text', 'LightGBM has no arg-max output; export it as pulse JSON');
  }
  if (spec.name === 'multiclass' || spec.name === 'multiclassova') parts.push(`num_class:${spec.numClass}`);
  for (const key of Object.keys(spec.params).sort()) parts.push(`${key}:${spec.params[key]}`);
  return parts.join(' ');
}

function treeToString(tree: Tree, where: string): string {
  const n = tree.numLeaves - 1;
  const threshold = new Float64Array(n);
  const decision = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = tree.decision[i];
    if (d & DECISION_STRICT_F32) {
      if (d & DECISION_CATEGORICAL) {
        throw new ModelFormatError(`${where}: node ${i} is an XGBoost categorical split, which LightGBM cannot express`, 'export it as pulse JSON');
      }
      // XGBoost sends NaN to the default child and never treats zero as missing: LightGBM's NaN missing type.
      if (!Number.isFinite(tree.threshold[i])) {
        throw new ModelFormatError(`${where}: node ${i} has the XGBoost threshold ${tree.threshold[i]}, which LightGBM cannot express`, 'export it as pulse JSON');
      }
      threshold[i] = strictF32ToLessEqual(tree.threshold[i]);
      decision[i] = (MISSING_NAN << 2) | (d & DECISION_DEFAULT_LEFT);
    } else {
      threshold[i] = tree.threshold[i];
      decision[i] = d;
    }
  }
  // internal_value: the cover-weighted mean leaf value below each node (LightGBM's node output), for readers.
  const sum = new Float64Array(n);
  const cover = new Float64Array(n);
  const order: number[] = [];
  for (const stack = n > 0 ? [0] : []; stack.length > 0; ) {
    const node = stack.pop() as number;
    order.push(node);
    if (tree.leftChild[node] >= 0) stack.push(tree.leftChild[node]);
    if (tree.rightChild[node] >= 0) stack.push(tree.rightChild[node]);
  }
  for (let j = order.length - 1; j >= 0; j--) {
    const node = order[j];
    for (const child of [tree.leftChild[node], tree.rightChild[node]]) {
      cover[node] += child >= 0 ? cover[child] : tree.leafCover[~child];
      sum[node] += child >= 0 ? sum[child] : tree.leafValue[~child] * tree.leafCover[~child];
    }
  }
  const internalValue = Array.from(sum, (s, i) => (cover[i] > 0 ? s / cover[i] : 0));
  const numCat = tree.catBoundaries.length - 1;
  const lines = [
    `num_leaves=${tree.numLeaves}`,
    `num_cat=${numCat}`,
    `split_feature=${fmt(tree.splitFeature)}`,
    `split_gain=${fmt(tree.splitGain)}`,
    `threshold=${fmt(threshold)}`,
    `decision_type=${fmt(decision)}`,
    `left_child=${fmt(tree.leftChild)}`,
    `right_child=${fmt(tree.rightChild)}`,
    `leaf_value=${fmt(tree.leafValue)}`,
    `leaf_weight=${fmt(tree.leafCover)}`,
    `leaf_count=${fmt(Array.from(tree.leafCover, Math.round))}`,
    `internal_value=${fmt(internalValue)}`,
    `internal_weight=${fmt(tree.internalCover)}`,
    `internal_count=${fmt(Array.from(tree.internalCover, Math.round))}`,
  ];
  if (numCat > 0) lines.push(`cat_boundaries=${fmt(tree.catBoundaries)}`, `cat_threshold=${fmt(tree.catThreshold)}`);
  lines.push('is_linear=0', 'shrinkage=1');
  return lines.join('\n') + '\n\n';
}

/** LightGBM's `feature_infos` entry: `[min:max]` of the numerical thresholds, `-1:c1:c2` categories, or `none`. */
function featureInfos(ensemble: Ensemble): string[] {
  const nf = ensemble.numFeatures;
  const lo = new Float64Array(nf).fill(Infinity);
  const hi = new Float64Array(nf).fill(-Infinity);
  const cats: Set<number>[] = Array.from({ length: nf }, () => new Set<number>());
  for (const tree of ensemble.trees) {
    for (let i = 0; i < tree.numLeaves - 1; i++) {
      const f = tree.splitFeature[i];
      if (tree.decision[i] & DECISION_CATEGORICAL) {
        const c = tree.threshold[i];
        for (let w = tree.catBoundaries[c]; w < tree.catBoundaries[c + 1]; w++) {
          for (let b = 0; b < 32; b++) if (tree.catThreshold[w] & (1 << b)) cats[f].add((w - tree.catBoundaries[c]) * 32 + b);
        }
      } else if (Number.isFinite(tree.threshold[i])) {
        lo[f] = Math.min(lo[f], tree.threshold[i]);
        hi[f] = Math.max(hi[f], tree.threshold[i]);
      }
    }
  }
  return Array.from({ length: nf }, (_, f) =>
    cats[f].size > 0 ? `-1:${[...cats[f]].sort((a, b) => a - b).join(':')}` : lo[f] <= hi[f] ? `[${lo[f]}:${hi[f]}]` : 'none',
  );
}

/**
 * Write a model as LightGBM text (`version=v4`) that LightGBM's loader accepts and that predicts the same raw
 * scores. A non-zero base score (pulse or XGBoost) is folded into the first iteration's leaves, since LightGBM has
 * no base score; XGBoost float32 splits become equivalent `<=` thresholds.
 *
 * @throws ModelFormatError for models LightGBM cannot express (XGBoost `multi:softmax`, XGBoost categorical splits,
 *   per-tree DART weights other than 1).
 */
export function writeLightGbmText(model: GbdtModel): string {
  const { ensemble } = model;
  const k = ensemble.numTreePerIteration;
  const trees = ensemble.trees.map((tree, t) => {
    const w = ensemble.treeWeight ? ensemble.treeWeight[t] : 1;
    const base = t < k && !ensemble.averageOutput ? ensemble.baseScore[t] : 0;
    if (w === 1 && base === 0) return tree;
    return { ...tree, leafValue: tree.leafValue.map((v) => w * v + base) };
  });
  if (ensemble.averageOutput && ensemble.baseScore.some((b) => b !== 0)) {
    throw new ModelFormatError('cannot export a random-forest model with a base score as LightGBM text', 'export it as pulse JSON');
  }
  const blocks = trees.map((tree, t) => `Tree=${t}\n${treeToString(tree, `tree ${t}`)}\n`);
  const encoder = new TextEncoder();
  const header = [
    'tree',
    'version=v4',
    `num_class=${model.objective.numClass}`,
    `num_tree_per_iteration=${k}`,
    'label_index=0',
    `max_feature_idx=${ensemble.numFeatures - 1}`,
    `objective=${objectiveLine(model.objective)}`,
    ...(ensemble.averageOutput ? ['average_output'] : []),
    `feature_names=${model.featureNames.join(' ')}`,
    `feature_infos=${featureInfos(ensemble).join(' ')}`,
    `tree_sizes=${blocks.map((b) => encoder.encode(b).length).join(' ')}`,
  ];
  const counts = new Map<string, number>();
  for (const tree of ensemble.trees) {
    for (let i = 0; i < tree.numLeaves - 1; i++) {
      if (tree.splitGain[i] > 0) {
        const name = model.featureNames[tree.splitFeature[i]];
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
  }
  const importances = [...counts].sort((a, b) => b[1] - a[1]).map(([name, c]) => `${name}=${c}`);
  // LightGBM warns about parameters it does not know: leave out pulse's own (e.g. xgboost mode's grow_policy)
  const params = Object.entries(model.params)
    .filter(([key]) => !(key in PARAMS) || (PARAMS[key as keyof typeof PARAMS].lightgbm?.names.length ?? 0) > 0)
    .map(([key, value]) => `[${key}: ${typeof value === 'boolean' ? Number(value) : value}]`);
  return [
    header.join('\n'),
    '',
    blocks.join('') + 'end of trees',
    '',
    'feature_importances:',
    ...importances,
    '',
    'parameters:',
    ...params,
    'end of parameters',
    '',
    'pandas_categorical:null',
    '',
  ].join('\n');
}
