/**
 * `pulse models explain`: why a registered model made one prediction.
 *
 * The feature row is rebuilt from the store with the model's own stored feature-set spec (its hash checked
 * against the one recorded at training), for the bar at or before the requested time. Contributions are exact
 * and additive in the model's raw (margin) space: base value + every contribution = raw prediction.
 * - GBDT families (lightgbm, xgboost, rf): path-dependent TreeSHAP; the base value is the model's expected raw
 *   output under its training covers.
 * - ridge and logistic: coefficient x standardised value (the training-median-imputed value, centred and scaled
 *   as in prediction); the base value is the intercept.
 * - ensemble (regression and binary): the meta-learner is linear in its standardised meta features, which are
 *   the base models' raw outputs (binary: their log-odds), so the ensemble's contribution of a feature is the
 *   meta weights times the members' contributions (TreeSHAP for the GBDT member, linear for the other). A member
 *   whose meta feature prediction clamped to its out-of-fold range (or floored as a probability) feeds a
 *   constant: no feature moves it, so its meta-weighted part goes into the base value and a note says so. The
 *   split stays exact. Multiclass ensembles combine log-probabilities, which do not split by feature: their GBDT
 *   member is explained (exactly, for the class the ensemble predicts) and the result says so.
 * - naive: it reads no features, so there is nothing to explain (a UsageError says so).
 * Which of these applies is the family's `explain` trait in the model registry (src/models/registry.ts).
 * Multiclass models explain the class they predict (the most probable one).
 */
import { DataError, InternalError, UsageError } from '../core/errors.js';
import { lowerBound } from '../core/arrays.js';
import type { GbdtModel } from '../gbdt/model.js';
import { predictBatchSync } from '../gbdt/predict.js';
import { treeShap } from '../gbdt/shap.js';
import type { Interval } from '../core/interval.js';
import { standardizeBlock } from '../models/linear-algebra.js';
import { linearStateFromJson, type LinearState } from '../models/linear-model.js';
import { familyTraits, modelFromJSON, type ExplainMethod } from '../models/registry.js';
import { MODEL_FAMILIES, type Model, type ModelFamily, type Task } from '../models/model.js';
import type { Store } from '../store/store.js';
import { getModel } from '../registry/registry.js';
import { checkFeatureSetHash, type RegistryModelDocument } from './document.js';
import { registeredModelInputs } from './inputs.js';
import { readRegisteredDocument } from './load.js';

/** What to explain. */
export interface ExplainRequest {
  /** Explain the bar at or before this time (ms, UTC); default the newest stored bar. */
  at?: number;
  /** Contributions to list, largest |contribution| first (1 ..= number of features). */
  top: number;
  /** Pooled models: the symbol whose row to explain (default the model's first symbol). */
  symbol?: string;
}

/** One feature's part in the prediction. */
export interface FeatureContribution {
  feature: string;
  /** The feature's value in the row (null when missing). */
  value: number | null;
  /** Additive contribution to the raw prediction (margin units: log-odds for binary, the target for regression). */
  contribution: number;
}

/** An explained prediction. */
export interface Explanation {
  modelId: string;
  family: string;
  /**
   * The model whose contributions are given: the registered model itself (`member` null), or the GBDT member of
   * a multiclass ensemble. `stacked`: meta weights x member contributions (regression and binary ensembles).
   */
  explained: { family: ModelFamily; member: 'gbdt' | null; method: 'treeshap' | 'linear' | 'stacked' };
  /** What the reader must know about the split: an ensemble member clamped or explained instead; else null. */
  note: string | null;
  symbol: string;
  interval: Interval;
  /** The requested time (ms), null when the newest bar was used. */
  requestedAt: number | null;
  /** Open time (ms) of the explained bar. */
  barTime: number;
  task: Task;
  /** Multiclass: the explained class (index and label value); null otherwise. */
  outputClass: { index: number; value: number | null } | null;
  /**
   * The explained model's prediction: `raw` is the margin the contributions add up to, `transformed` the
   * output (the return forecast, or the probability of the explained class / of "up" for binary).
   */
  prediction: { raw: number; transformed: number };
  /** The registered model's own output for the row (differs from `prediction` only for an ensemble). */
  modelOutput: number[];
  /** Expected raw output (TreeSHAP), intercept (linear), or their meta-weighted combination (stacked). */
  baseValue: number;
  /** The `top` largest contributions by magnitude. */
  contributions: FeatureContribution[];
  /** What the features not listed add up to. */
  rest: { features: number; contribution: number };
  /**
   * baseValue + every contribution: equals `prediction.raw` up to float64 rounding, or up to float32 rounding for
   * models imported from XGBoost (their predictions accumulate in float32, as XGBoost's do; SHAP sums in float64).
   */
  sum: number;
  /** Features of the model (listed plus the rest). */
  featureCount: number;
}

/** The feature row of the explained bar: values in model feature order, plus where it came from. */
interface ExplainRow {
  values: Float64Array;
  barTime: number;
  symbol: string;
}

async function buildRow(store: Store, doc: RegistryModelDocument, modelId: string, request: ExplainRequest): Promise<ExplainRow> {
  const symbol = request.symbol ?? doc.symbols[0];
  const { X, time } = await registeredModelInputs(store, doc, modelId, symbol);
  let index = X.numRows - 1;
  if (request.at !== undefined) {
    index = lowerBound(time, request.at + 1) - 1;
    if (index < 0) {
      throw new DataError(`no ${doc.interval} bar of ${symbol} at or before ${new Date(request.at).toISOString()}`,
        `the first stored bar opens at ${new Date(time[0]).toISOString()}; pass a later --at`);
    }
  }
  return { values: Float64Array.from(X.columns, (c) => c[index]), barTime: time[index], symbol };
}

/** Raw-space parts of one output: contributions per feature and the base value. */
interface RawParts {
  phi: Float64Array;
  base: number;
  raw: number;
  transformed: number;
  classIndex: number | null;
}

function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/** TreeSHAP parts of output `classIndex` (multiclass; default the most probable class) of a GBDT model. */
function explainTrees(model: GbdtModel, row: Float64Array, classIndex?: number): RawParts {
  const p = row.length;
  const k = model.ensemble.numTreePerIteration;
  const transformedAll = predictBatchSync(model, row, 1);
  const rawAll = predictBatchSync(model, row, 1, { raw: true });
  const c = k > 1 ? (classIndex ?? argMax(transformedAll)) : 0;
  const shap = treeShap(model, row, 1);
  const offset = c * (p + 1);
  return {
    phi: shap.slice(offset, offset + p),
    base: shap[offset + p],
    raw: rawAll[c],
    transformed: k > 1 ? transformedAll[c] : transformedAll[0],
    classIndex: k > 1 ? c : null,
  };
}

/**
 * The fitted linear state of a ridge or logistic document, standardising exactly as the family does: the
 * family's own reader resolves its parameters (the clamp of standardised values, `clip`, where the family has one).
 */
function linearState(doc: Record<string, unknown>, p: number, width: number): LinearState {
  const params = (modelFromJSON(doc) as unknown as { params: Record<string, unknown> }).params;
  const clip = typeof params.clip === 'number' ? params.clip : 0;
  const { converged: _c, steps: _s, ...state } = doc.state as Record<string, unknown>;
  const read = linearStateFromJson as (input: unknown, p: number, width: number, clip: number) => LinearState;
  return read(state, p, width, clip);
}

/** One row standardised by the family's own routine (imputed, centred, scaled, clamped as in prediction). */
function standardizedRow(values: Float64Array, s: LinearState): Float64Array {
  const z = new Float64Array(values.length);
  const columns = Array.from(values, (v) => Float64Array.of(v));
  standardizeBlock({ columns, numRows: 1, names: columns.map((_, f) => `x${f}`) }, s.standardizer, 0, 1, z);
  return z;
}

/**
 * Exact linear contributions to output `c`: the row standardised exactly as prediction does, times that output's
 * coefficients. The raw score sums intercept then features in order, as the family's scorer does.
 */
function explainLinear(familyDoc: Record<string, unknown>, row: Float64Array, width: number, c: number): Omit<RawParts, 'transformed' | 'classIndex'> {
  const p = row.length;
  const s = linearState(familyDoc, p, width);
  const z = standardizedRow(row, s);
  const phi = new Float64Array(p);
  let raw = s.intercept[c];
  for (let f = 0; f < p; f++) {
    phi[f] = z[f] * s.coef[c * p + f];
    raw += phi[f];
  }
  return { phi, base: s.intercept[c], raw };
}

/** Probability floor of the ensemble's log-odds meta features (as in src/models/ensemble.ts). */
const PROB_FLOOR = 1e-7;

/** The trees of a registered model (a family with trees, by its trait). */
function treesOf(model: Model): GbdtModel {
  const trees = familyTraits(model.family).trees;
  if (!trees) throw new InternalError(`family ${model.family} is explained by TreeSHAP but has no trees`);
  return trees(model);
}

function gbdtMember(familyDoc: Record<string, unknown>): { model: GbdtModel; family: ModelFamily } {
  const member = modelFromJSON((familyDoc.state as Record<string, unknown>).gbdt);
  return { model: treesOf(member), family: member.family };
}

const MEMBER_NAMES = ['GBDT', 'linear'] as const;

/**
 * Stacked contributions of a regression or binary ensemble (see the module note) and the notes on clamped
 * members; `output` is the ensemble's own prediction.
 */
function explainStacked(familyDoc: Record<string, unknown>, row: Float64Array, task: Task, output: number): { parts: RawParts; notes: string[] } {
  const state = familyDoc.state as Record<string, unknown>;
  const g = explainTrees(gbdtMember(familyDoc).model, row);
  const l = explainLinear(state.linear as Record<string, unknown>, row, 1, 0);
  const members = [g, l];
  const metaMin = state.metaMin as number[];
  const metaMax = state.metaMax as number[];
  const m = linearState(state.meta as Record<string, unknown>, 2, 1);
  // The meta features as prediction computes them: base outputs (regression) or their floored log-odds (binary),
  // clamped to the out-of-fold range.
  const outputs = task === 'regression' ? [g.transformed, l.raw] : [g.transformed, 1 / (1 + Math.exp(-l.raw))];
  const meta = outputs.map((v, j) => {
    let x = v;
    if (task !== 'regression') {
      const q = Math.min(1 - PROB_FLOOR, Math.max(PROB_FLOOR, v));
      x = Math.log(q / (1 - q));
    }
    return x < metaMin[j] ? metaMin[j] : x > metaMax[j] ? metaMax[j] : x;
  });
  const p = row.length;
  const phi = new Float64Array(p);
  const notes: string[] = [];
  const z = standardizedRow(Float64Array.from(meta), m);
  let base = m.intercept[0];
  // the meta-learner's score, computed as its scorer does (intercept, then z . coef in order)
  let raw = m.intercept[0];
  for (let j = 0; j < 2; j++) {
    raw += z[j] * m.coef[j];
    const inv = m.standardizer.scale[j] > 0 ? 1 / m.standardizer.scale[j] : 0;
    const member = members[j];
    // the member moves the forecast only when neither clamp (out-of-fold range, standardised clip) held it
    const free = Math.abs(meta[j] - member.raw) <= 1e-9 * Math.max(1, Math.abs(member.raw)) && z[j] === (meta[j] - m.standardizer.mean[j]) * inv;
    if (free) {
      const weight = m.coef[j] * inv;
      base += weight * (member.base - m.standardizer.mean[j]);
      for (let f = 0; f < p; f++) phi[f] += weight * member.phi[f];
    } else {
      base += z[j] * m.coef[j];
      notes.push(`the ${MEMBER_NAMES[j]} member's ${task === 'regression' ? 'output' : 'log-odds'} ${member.raw.toPrecision(6)} was clamped to the range the meta-learner was fitted on: its part is in the base value`);
    }
  }
  return { parts: { phi, base, raw, transformed: output, classIndex: null }, notes };
}

/** What an explainer gets: the family document, the model built from it, the feature row and the model's output. */
interface ExplainInput {
  familyDoc: Record<string, unknown>;
  model: Model;
  row: Float64Array;
  modelOutput: number[];
}

/** An explainer's answer: the raw-space split, what was explained and the note on it. */
interface ExplainParts {
  parts: RawParts;
  explained: Explanation['explained'];
  note: string | null;
}

/** One explainer per method a family declares (`FamilyTraits.explain`): the module note describes each. */
const EXPLAINERS: Readonly<Record<Exclude<ExplainMethod, null>, (input: ExplainInput) => ExplainParts>> = {
  treeshap: ({ model, row }) => ({ parts: explainTrees(treesOf(model), row), explained: { family: model.family, member: null, method: 'treeshap' }, note: null }),
  linear: ({ familyDoc, model, row, modelOutput }) => {
    const width = model.task === 'multiclass' ? model.numClass : 1;
    const c = width > 1 ? argMax(modelOutput) : 0;
    const parts = { ...explainLinear(familyDoc, row, width, c), transformed: modelOutput[c], classIndex: width > 1 ? c : null };
    return { parts, explained: { family: model.family, member: null, method: 'linear' }, note: null };
  },
  stacked: ({ familyDoc, model, row, modelOutput }) => {
    if (model.task !== 'multiclass') {
      const stacked = explainStacked(familyDoc, row, model.task, modelOutput[0]);
      return { parts: stacked.parts, explained: { family: model.family, member: null, method: 'stacked' }, note: stacked.notes.length > 0 ? stacked.notes.join('; ') : null };
    }
    const member = gbdtMember(familyDoc);
    // explain the member's score of the class the ensemble predicts
    return {
      parts: explainTrees(member.model, row, argMax(modelOutput)),
      explained: { family: member.family, member: 'gbdt', method: 'treeshap' },
      note: `the ensemble's ${member.family} member is explained: multiclass stacking combines log-probabilities, which do not split by feature`,
    };
  },
};

/**
 * Explain one prediction of a registered model (see the module note).
 * @throws DataError for an unknown model, a feature set whose columns changed, or no bar at or before
 *   `at`; UsageError for a naive model or a symbol the model was not trained on; ModelFormatError for a
 *   damaged model file or a feature-set hash that no longer matches.
 */
export async function explainModel(store: Store, id: string, request: ExplainRequest): Promise<Explanation> {
  const version = await getModel(store, id);
  const doc = readRegisteredDocument(version);
  const familyDoc = doc.model;
  const family = familyDoc.family as ModelFamily;
  const method = familyTraits(family).explain;
  if (method === null) {
    const explainable = MODEL_FAMILIES.filter((f) => familyTraits(f).explain !== null);
    throw new UsageError(`model ${id} is a ${family} baseline: it reads no features, so no feature explains its forecast`,
      `explain a trained model (${explainable.join(', ')})`);
  }
  checkFeatureSetHash(version, doc);
  if (!Number.isInteger(request.top) || request.top < 1) throw new UsageError(`--top ${request.top} is not valid`, 'use a whole number of at least 1');
  const row = await buildRow(store, doc, id, request);
  const names = doc.featureSet.names;
  const model = modelFromJSON(familyDoc);
  const frame = { columns: Array.from(row.values, (v) => Float64Array.of(v)), numRows: 1, names };
  const modelOutput = Array.from(model.predict(frame));

  const { parts, explained, note } = EXPLAINERS[method]({ familyDoc, model, row: row.values, modelOutput });
  const p = names.length;
  const order = Array.from({ length: p }, (_, f) => f).sort((a, b) => Math.abs(parts.phi[b]) - Math.abs(parts.phi[a]) || a - b);
  const shown = order.slice(0, Math.min(request.top, p));
  let sum = parts.base;
  for (let f = 0; f < p; f++) sum += parts.phi[f];
  let rest = 0;
  for (const f of order.slice(shown.length)) rest += parts.phi[f];
  return {
    modelId: id,
    family: version.family,
    explained,
    note,
    symbol: row.symbol,
    interval: doc.interval,
    requestedAt: request.at ?? null,
    barTime: row.barTime,
    task: model.task,
    outputClass: parts.classIndex === null ? null : { index: parts.classIndex, value: doc.classValues[parts.classIndex] ?? null },
    prediction: { raw: parts.raw, transformed: parts.transformed },
    modelOutput,
    baseValue: parts.base,
    contributions: shown.map((f) => ({ feature: names[f], value: Number.isNaN(row.values[f]) ? null : row.values[f], contribution: parts.phi[f] })),
    rest: { features: p - shown.length, contribution: rest },
    sum,
    featureCount: p,
  };
}
