/**
 * XGBoost's legacy binary model format (`.model`/`.bin` files written by XGBoost before 2.0 without a `.json`
 * extension): little-endian C structs, read into the same document shape as the JSON schema and converted by
 * the JSON reader, so both formats share one conversion and one set of checks.
 *
 * Layout (xgboost `learner.cc`, `gbtree_model.h`, `tree_model.cc`): an optional `binf` magic; LearnerModelParam
 * (136 bytes: base_score f32, num_feature u32, num_class i32, contain_extra_attrs i32, contain_eval_metrics i32,
 * major_version u32, minor_version u32, reserved); objective and booster names (u64 length + bytes);
 * GBTreeModelParam (160 bytes: num_trees, num_roots, num_feature, pad, i64 deprecated, num_output_group,
 * size_leaf_vector, reserved); per tree a TreeParam (148 bytes: num_roots, num_nodes, num_deleted, max_depth,
 * num_feature, size_leaf_vector, reserved), nodes (20 bytes: parent, left, right, sindex with the default-left
 * bit 31, leaf value or split condition f32) and node stats (16 bytes: loss_chg, sum_hess, base_weight,
 * leaf_child_cnt); then tree_info (i32 per tree) and, for DART, weight_drop (u64 count + f32 values).
 */
import { ModelFormatError } from '../../core/errors.js';
import type { GbdtModel } from '../model.js';
import { type Json, modelFromXgbDocument } from './xgboost-json.js';

const WHERE = 'XGBoost binary model';

/** True when the bytes look like a legacy binary XGBoost model (the `binf` magic or a known objective name). */
export function looksLikeXgboostBinary(bytes: Uint8Array): boolean {
  if (bytes.length >= 4 && bytes[0] === 0x62 && bytes[1] === 0x69 && bytes[2] === 0x6e && bytes[3] === 0x66) return true;
  if (bytes.length < 150) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = Number(view.getBigUint64(136, true));
  if (len < 4 || len > 64 || 144 + len > bytes.length) return false;
  const name = new TextDecoder().decode(bytes.subarray(144, 144 + len));
  return /^(reg|binary|multi|count|rank|survival):[a-z_]+$/.test(name);
}

class Reader {
  private readonly view: DataView;
  offset: number;
  constructor(private readonly bytes: Uint8Array, offset: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }
  need(n: number, what: string): void {
    if (this.offset + n > this.bytes.length) {
      throw new ModelFormatError(
        `${WHERE}: the file ends at byte ${this.bytes.length} while reading ${what} (${n} bytes at ${this.offset}): it is truncated`,
        'copy the model file again, or re-save it with XGBoost as JSON',
      );
    }
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f32(what: string): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.offset, true);
    this.offset += 4;
    return v;
  }
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    if (v > BigInt(this.bytes.length)) throw new ModelFormatError(`${WHERE}: ${what} = ${v} is larger than the file`, 'the file is corrupted');
    return Number(v);
  }
  skip(n: number, what: string): void {
    this.need(n, what);
    this.offset += n;
  }
  string(what: string): string {
    const len = this.u64(`${what} length`);
    this.need(len, what);
    const s = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + len));
    this.offset += len;
    return s;
  }
}

function readTree(r: Reader, t: number): Json {
  const at = `tree ${t}`;
  r.i32(`${at} num_roots`);
  const numNodes = r.i32(`${at} num_nodes`);
  r.i32(`${at} num_deleted`);
  r.i32(`${at} max_depth`);
  r.i32(`${at} num_feature`);
  const leafVector = r.i32(`${at} size_leaf_vector`);
  r.skip(31 * 4, `${at} reserved`);
  if (numNodes < 1 || numNodes > 1 << 26) throw new ModelFormatError(`${WHERE}: ${at} has num_nodes = ${numNodes}`, 'the file is corrupted');
  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const defaultLeft: number[] = [];
  const cond: number[] = [];
  for (let n = 0; n < numNodes; n++) {
    r.i32(`${at} node ${n} parent`);
    left.push(r.i32(`${at} node ${n} left`));
    right.push(r.i32(`${at} node ${n} right`));
    const sindex = r.u32(`${at} node ${n} split index`);
    feature.push(sindex & 0x7fffffff);
    defaultLeft.push(sindex >>> 31);
    cond.push(r.f32(`${at} node ${n} value`));
  }
  const gain: number[] = [];
  const hess: number[] = [];
  for (let n = 0; n < numNodes; n++) {
    gain.push(r.f32(`${at} node ${n} loss_chg`));
    hess.push(r.f32(`${at} node ${n} sum_hess`));
    r.f32(`${at} node ${n} base_weight`);
    r.i32(`${at} node ${n} leaf_child_cnt`);
  }
  return {
    tree_param: { num_nodes: numNodes, size_leaf_vector: leafVector },
    left_children: left,
    right_children: right,
    split_indices: feature,
    split_conditions: cond,
    default_left: defaultLeft,
    loss_changes: gain,
    sum_hessian: hess,
  };
}

/**
 * Parse a legacy binary XGBoost model. Supports gbtree and dart boosters with numerical splits (the binary
 * format predates categorical splits).
 *
 * @throws ModelFormatError for a truncated or corrupted file, an unsupported booster or objective.
 */
export function parseXgboostBinary(bytes: Uint8Array): GbdtModel {
  const magic = bytes.length >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) === 'binf';
  const r = new Reader(bytes, magic ? 4 : 0);
  const baseScore = r.f32('base_score');
  const numFeature = r.u32('num_feature');
  const numClass = r.i32('num_class');
  r.i32('contain_extra_attrs');
  r.i32('contain_eval_metrics');
  const major = r.u32('major_version');
  r.u32('minor_version');
  r.skip(27 * 4, 'learner reserved');
  const objective = r.string('objective name');
  const boosterName = r.string('booster name');
  if (boosterName !== 'gbtree' && boosterName !== 'dart') {
    throw new ModelFormatError(`${WHERE}: booster '${boosterName}' is not supported (only gbtree and dart)`, 'train with booster="gbtree" or "dart"');
  }
  const numTrees = r.i32('num_trees');
  r.i32('num_roots');
  r.i32('num_feature');
  r.i32('pad');
  r.skip(8, 'num_pbuffer');
  r.i32('num_output_group');
  r.i32('size_leaf_vector');
  r.skip(32 * 4, 'gbtree reserved');
  if (numTrees < 0 || numTrees > 1 << 24) throw new ModelFormatError(`${WHERE}: num_trees = ${numTrees} is invalid`, 'the file is corrupted');
  const trees: Json[] = [];
  for (let t = 0; t < numTrees; t++) trees.push(readTree(r, t));
  const treeInfo: number[] = [];
  for (let t = 0; t < numTrees; t++) treeInfo.push(r.i32(`tree_info[${t}]`));
  const gbtree: Json = {
    name: 'gbtree',
    model: { gbtree_model_param: { num_trees: numTrees }, tree_info: treeInfo, trees },
  };
  let booster = gbtree;
  if (boosterName === 'dart') {
    const n = r.u64('weight_drop count');
    const weights: number[] = [];
    for (let i = 0; i < n; i++) weights.push(r.f32(`weight_drop[${i}]`));
    booster = { name: 'dart', gbtree, weight_drop: weights };
  }
  const document: Json = {
    version: [major, 0, 0],
    learner: {
      learner_model_param: { base_score: baseScore, num_feature: numFeature, num_class: numClass },
      objective: { name: objective },
      gradient_booster: booster,
    },
  };
  // XGBoost < 1.0 saved base_score after its ProbToMargin; 1.x binary files keep it in output space.
  try {
    return modelFromXgbDocument(document, major < 1);
  } catch (error) {
    // The shared conversion names the JSON schema; say which file format this really was.
    if (error instanceof ModelFormatError && error.message.startsWith('XGBoost JSON model: ')) {
      throw new ModelFormatError(`${WHERE}: ${error.message.slice('XGBoost JSON model: '.length)}`, error.hint, error.cause);
    }
    throw error;
  }
}
