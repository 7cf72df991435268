/**
 * Structural checks every model reader runs on the ensemble it built, so that a corrupted or hand-edited file is
 * refused with a `ModelFormatError` naming the bad field instead of crashing or mispredicting later. The checks
 * guarantee what prediction and TreeSHAP rely on: each tree is a proper binary tree rooted at node 0 (every
 * internal node but the root and every leaf referenced exactly once), feature indices are in range, leaf values
 * are finite and categorical splits point inside their bitsets.
 */
import { ModelFormatError } from '../../core/errors.js';
import { DECISION_CATEGORICAL, type Ensemble, type Tree } from '../tree.js';

/** The file's own names for the tree arrays, so errors quote the field as it appears in the file. */
export type TreeFieldNames = Readonly<Record<keyof Tree, string>>;

/** pulse's own (JSON) field names, which are the `Tree` property names. */
export const PULSE_FIELD_NAMES: TreeFieldNames = {
  numLeaves: 'numLeaves',
  splitFeature: 'splitFeature',
  threshold: 'threshold',
  decision: 'decision',
  leftChild: 'leftChild',
  rightChild: 'rightChild',
  splitGain: 'splitGain',
  internalCover: 'internalCover',
  leafCover: 'leafCover',
  leafValue: 'leafValue',
  catBoundaries: 'catBoundaries',
  catThreshold: 'catThreshold',
};

const HINT = 'the model file is corrupted or was edited by hand; re-export it from the library that trained it';

/**
 * Check one tree; `where` names it in errors (e.g. `"Tree=3"`). Throws `ModelFormatError` on the first problem.
 */
export function validateTree(tree: Tree, where: string, numFeatures: number, names: TreeFieldNames = PULSE_FIELD_NAMES): void {
  const fail = (what: string): never => {
    throw new ModelFormatError(`${where}: ${what}`, HINT);
  };
  const { numLeaves } = tree;
  if (!Number.isInteger(numLeaves) || numLeaves < 1) fail(`${names.numLeaves} = ${numLeaves} must be an integer >= 1`);
  const numInternal = numLeaves - 1;
  const internalArrays = ['splitFeature', 'threshold', 'decision', 'leftChild', 'rightChild', 'splitGain', 'internalCover'] as const;
  for (const key of internalArrays) {
    if (tree[key].length !== numInternal) fail(`${names[key]} has ${tree[key].length} values, expected ${numInternal} (${names.numLeaves} - 1)`);
  }
  for (const key of ['leafValue', 'leafCover'] as const) {
    if (tree[key].length !== numLeaves) fail(`${names[key]} has ${tree[key].length} values, expected ${numLeaves} (${names.numLeaves})`);
  }
  for (let i = 0; i < numLeaves; i++) {
    if (!Number.isFinite(tree.leafValue[i])) fail(`${names.leafValue}[${i}] = ${tree.leafValue[i]} is not a finite number`);
  }
  const cb = tree.catBoundaries;
  const numCat = cb.length - 1;
  if (cb.length < 1 || cb[0] !== 0) fail(`${names.catBoundaries} must start with 0`);
  for (let i = 1; i < cb.length; i++) {
    if (cb[i] < cb[i - 1]) fail(`${names.catBoundaries}[${i}] = ${cb[i]} is smaller than the previous boundary`);
  }
  if (cb[numCat] !== tree.catThreshold.length) {
    fail(`${names.catBoundaries} ends at ${cb[numCat]} but ${names.catThreshold} has ${tree.catThreshold.length} words`);
  }
  // Each node except the root, and each leaf, must have exactly one parent: this rules out cycles and orphans.
  const internalSeen = new Uint8Array(numInternal);
  const leafSeen = new Uint8Array(numLeaves);
  for (let n = 0; n < numInternal; n++) {
    const f = tree.splitFeature[n];
    if (!Number.isInteger(f) || f < 0 || f >= numFeatures) fail(`${names.splitFeature}[${n}] = ${f} is out of range (${numFeatures} features)`);
    const t = tree.threshold[n];
    if (tree.decision[n] & DECISION_CATEGORICAL) {
      if (!Number.isInteger(t) || t < 0 || t >= numCat) fail(`${names.threshold}[${n}] = ${t} is not a categorical split index below ${numCat}`);
    } else if (Number.isNaN(t)) {
      fail(`${names.threshold}[${n}] is NaN`);
    }
    for (const [key, child] of [['leftChild', tree.leftChild[n]], ['rightChild', tree.rightChild[n]]] as const) {
      if (child >= 0) {
        if (child === 0 || child >= numInternal) fail(`${names[key]}[${n}] = ${child} is out of range (${numInternal} internal nodes)`);
        if (internalSeen[child]++) fail(`${names[key]}[${n}] = ${child}: node ${child} has two parents`);
      } else {
        const leaf = ~child;
        if (leaf >= numLeaves) fail(`${names[key]}[${n}] = ${child} points to leaf ${leaf}, out of range (${numLeaves} leaves)`);
        if (leafSeen[leaf]++) fail(`${names[key]}[${n}] = ${child}: leaf ${leaf} has two parents`);
      }
    }
  }
  for (let n = 1; n < numInternal; n++) if (!internalSeen[n]) fail(`internal node ${n} is unreachable from the root`);
  if (numInternal > 0) for (let l = 0; l < numLeaves; l++) if (!leafSeen[l]) fail(`leaf ${l} is unreachable from the root`);
}

/** Check a whole ensemble; `where` prefixes errors (e.g. the file name). */
export function validateEnsemble(ensemble: Ensemble, where: string, names: TreeFieldNames = PULSE_FIELD_NAMES, treeLabel = (t: number) => `tree ${t}`): void {
  const fail = (what: string): never => {
    throw new ModelFormatError(`${where}: ${what}`, HINT);
  };
  const k = ensemble.numTreePerIteration;
  if (!Number.isInteger(ensemble.numFeatures) || ensemble.numFeatures < 1) fail(`the number of features (${ensemble.numFeatures}) must be an integer >= 1`);
  if (!Number.isInteger(k) || k < 1) fail(`trees per iteration (${k}) must be an integer >= 1`);
  if (ensemble.trees.length % k !== 0) fail(`${ensemble.trees.length} trees is not a whole number of iterations of ${k} trees`);
  if (ensemble.baseScore.length !== k) fail(`base score has ${ensemble.baseScore.length} values, expected ${k}`);
  for (let c = 0; c < k; c++) if (!Number.isFinite(ensemble.baseScore[c])) fail(`base score ${ensemble.baseScore[c]} is not finite`);
  const w = ensemble.treeWeight;
  if (w) {
    if (w.length !== ensemble.trees.length) fail(`tree weights have ${w.length} values for ${ensemble.trees.length} trees`);
    for (let t = 0; t < w.length; t++) if (!Number.isFinite(w[t])) fail(`weight of ${treeLabel(t)} is ${w[t]}`);
  }
  for (let t = 0; t < ensemble.trees.length; t++) validateTree(ensemble.trees[t], `${where}: ${treeLabel(t)}`, ensemble.numFeatures, names);
}
