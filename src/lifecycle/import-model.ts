/**
 * `pulse models import`: a LightGBM text or XGBoost JSON model trained elsewhere becomes a new registry version that
 * prediction loads like any model `pulse train` made.
 *
 * An imported model is only accepted when it fits the slot it is registered into: its features are exactly the
 * feature set's columns (by name where the file names them, else by count), its objective fits the target
 * (a regression objective for `return`, binary log loss for `direction`), and the symbol has stored bars to build
 * those features from. The stored document is the one `pulse train` writes, with the engine's pulse JSON inside,
 * and it is read back through the model registry before it is registered, so a version that cannot predict is
 * never created.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ModelFormatError, UsageError, toError } from '../core/errors.js';
import { buildFeatureFrame } from '../dataset/feature-frame.js';
import type { FeatureSetSpec } from '../features/feature-set.js';
import { parseLightGbmText } from '../gbdt/format/lightgbm-text.js';
import { detectModelFormat, type ModelFormatName } from '../gbdt/format/model-file.js';
import { writePulseModel } from '../gbdt/format/pulse-json.js';
import { parseXgbJsonText, parseXgboostJson } from '../gbdt/format/xgboost-json.js';
import { ENGINE_VERSION, type GbdtModel, type ObjectiveName } from '../gbdt/model.js';
import { predictBatchSync, treesUsed } from '../gbdt/predict.js';
import { featureImportance } from '../gbdt/shap.js';
import type { Interval } from '../core/interval.js';
import { makeDocument } from '../models/model-document.js';
import type { Task } from '../models/model.js';
import { modelFromJSON } from '../models/registry.js';
import type { Store } from '../store/store.js';
import { registryDocument, writeRegistryDocument } from './document.js';
import { targetLabel, type TargetSpec } from './targets.js';
import { sha256 } from '../registry/model-files.js';
import { registerModel, type ModelVersion } from '../registry/registry.js';

/** Formats `pulse models import` reads. */
/** Formats `pulse models import` reads. */
export const IMPORT_FORMATS = ['lightgbm', 'xgboost'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const ENGINE_FORMAT: Readonly<Record<ImportFormat, { name: ModelFormatName; label: string; hint: string }>> = {
  lightgbm: { name: 'lightgbm-text', label: 'a LightGBM text model', hint: 'save it with LightGBM: booster.save_model("model.txt")' },
  xgboost: { name: 'xgboost-json', label: 'an XGBoost JSON model', hint: 'save it with XGBoost as JSON: booster.save_model("model.json")' },
};

const FORMAT_LABEL: Readonly<Record<ModelFormatName, string>> = {
  'pulse-json': 'a pulse GBDT JSON model',
  'xgboost-json': 'an XGBoost JSON model (use --format xgboost)',
  'lightgbm-text': 'a LightGBM text model (use --format lightgbm)',
  'xgboost-binary': 'a legacy binary XGBoost model (re-save it as JSON)',
};

/** Engine objectives that fit each importable target's task. */
const OBJECTIVES_OF_TASK: Readonly<Record<'regression' | 'binary', readonly ObjectiveName[]>> = {
  regression: ['regression', 'regression_l1', 'huber', 'quantile'],
  binary: ['binary'],
};

/** What `pulse models import` registers. */
export interface ImportRequest {
  /** Path of the model file (LightGBM `save_model` text or XGBoost `save_model` JSON). */
  file: string;
  format: ImportFormat;
  /** Stored symbol the model forecasts (its features are built from this symbol's bars). */
  symbol: string;
  interval: Interval;
  /** The feature set the model was trained on (resolved by the caller) and its reference symbols. */
  set: FeatureSetSpec;
  references: Record<string, string>;
  /** `return` (regression objectives) or binary `direction` (binary log loss; labels 1 = up, 0 = down). */
  target: TargetSpec;
  /** Make the imported version its slot's active model. */
  activate: boolean;
}

/** An imported model version with the checks it passed. */
export interface ImportResult {
  model: ModelVersion;
  format: ImportFormat;
  /** sha256 of the imported file. */
  fileSha256: string;
  objective: ObjectiveName;
  trees: number;
  /** How the features were matched: by name (the file names them) or by count only (XGBoost without names). */
  featureCheck: 'names' | 'count';
  numFeatures: number;
  /** Stored rows with every feature present, predicted through the registry document as a load check. */
  checkedRows: number;
}

function readImportFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read model file ${file}: ${toError(err).message}`, 'check the path and permissions');
  }
}

function parseImport(bytes: Buffer, file: string, format: ImportFormat): { model: GbdtModel; namesInFile: boolean } {
  const want = ENGINE_FORMAT[format];
  if (bytes.length === 0) throw new ModelFormatError(`${file} is empty`, want.hint);
  const found = detectModelFormat(bytes);
  if (found !== null && found !== want.name) throw new ModelFormatError(`${file} is ${FORMAT_LABEL[found]}, not ${want.label}`, want.hint);
  const text = bytes.toString('utf8');
  try {
    if (format === 'lightgbm') return { model: parseLightGbmText(text), namesInFile: true };
    const model = parseXgboostJson(text);
    const learner = (parseXgbJsonText(text) as { learner?: { feature_names?: unknown } }).learner;
    const names = learner?.feature_names;
    return { model, namesInFile: Array.isArray(names) && names.length > 0 };
  } catch (err) {
    if (err instanceof ModelFormatError) throw new ModelFormatError(`${file}: ${err.message}`, err.hint ?? want.hint, err.cause);
    throw err;
  }
}

function checkFeatures(model: GbdtModel, names: readonly string[], namesInFile: boolean, setName: string): void {
  const n = model.ensemble.numFeatures;
  if (n !== names.length) {
    throw new ModelFormatError(`the model has ${n} features but feature set "${setName}" has ${names.length}`,
      'import with the --set (and --interval) the model was trained on; `pulse features --export` writes its columns in order');
  }
  if (!namesInFile) return;
  const k = model.featureNames.findIndex((name, i) => name !== names[i]);
  if (k >= 0) {
    throw new ModelFormatError(`feature ${k + 1} of the model is "${model.featureNames[k]}" but feature set "${setName}" has "${names[k]}" there`,
      'train on the columns of `pulse features --export` in their order, or import with the --set the model was trained on');
  }
}

function checkObjective(model: GbdtModel, task: Task, target: TargetSpec): void {
  if (task !== 'regression' && task !== 'binary') {
    throw new UsageError(`importing a ${task} model is not supported`, 'import return (regression) or binary direction models');
  }
  const allowed = OBJECTIVES_OF_TASK[task];
  // binary:logitraw reads as an identity output, but it is a classifier's log-odds, not a return forecast
  const logitraw = model.origin === 'xgboost' && model.params.objective === 'binary:logitraw';
  if (!allowed.includes(model.objective.name) || model.ensemble.numTreePerIteration !== 1 || logitraw) {
    throw new ModelFormatError(`the model's objective ${logitraw ? 'binary:logitraw' : model.objective.name} does not fit target ${target.name} (${task})`,
      `target ${target.name} needs a model trained with ${allowed.join(', ')}${task === 'binary' ? ' (labels 1 = up, 0 = down)' : ''}`);
  }
}

/** Top gain-importance shares of an engine model (as `pulse train` records them). */
function importanceOf(model: GbdtModel): { feature: string; importance: number }[] {
  const gain = featureImportance(model.ensemble, treesUsed(model)).gain;
  let total = 0;
  for (let f = 0; f < gain.length; f++) total += gain[f];
  return model.featureNames
    .map((feature, f) => ({ feature, importance: total > 0 ? gain[f] / total : 0 }))
    .sort((a, b) => b.importance - a.importance)
    .slice(0, 30);
}

/**
 * Import a LightGBM text or XGBoost JSON model as a registry version of (symbol, interval, target, horizon):
 * see the module note for the checks. The family is the engine mode of the file (`lightgbm`, `rf` for a
 * LightGBM random forest, `xgboost`), the mode recorded is `imported`, and the parameters are the file's. The
 * training range of a foreign model is unknown, so the stored range at import is recorded as its training
 * range: evaluations then treat all data present at import as possibly seen by the model.
 * @throws UsageError for an unreadable path; ModelFormatError for a file of another format, a damaged file,
 *   features that differ from the set's or an objective that does not fit the target; DataError when the
 *   symbol has no stored bars.
 */
export async function importModel(store: Store, request: ImportRequest, now: number): Promise<ImportResult> {
  const bytes = readImportFile(request.file);
  const { model: parsed, namesInFile } = parseImport(bytes, request.file, request.format);
  const { task } = targetLabel(request.target);
  checkObjective(parsed, task, request.target);
  const frame = await buildFeatureFrame(store, { symbol: request.symbol, interval: request.interval, set: request.set, references: request.references });
  checkFeatures(parsed, frame.names, namesInFile, request.set.name);
  // Files without names get the set's (already matched by count), so the document's names are the set's.
  const model: GbdtModel = { ...parsed, featureNames: [...frame.names], engineVersion: ENGINE_VERSION };
  const family = model.mode;
  const numClass = task === 'binary' ? 2 : 1;
  const familyDoc = makeDocument(family, task, numClass, frame.names, { objective: model.objective.name }, model.seed ?? 0,
    { model: JSON.parse(writePulseModel(model)) as unknown });
  const document = registryDocument({
    symbols: [request.symbol],
    interval: request.interval,
    target: request.target,
    task,
    classValues: task === 'binary' ? [0, 1] : [],
    featureSet: { spec: request.set, names: frame.names, references: request.references },
    pooledSymbols: null,
    conformal: null,
    model: familyDoc,
  });
  const checkedRows = checkLoadable(familyDoc, model, frame.columns, frame.rows);
  const fileSha256 = sha256(bytes);
  const registered = await registerModel(
    store,
    {
      family,
      mode: 'imported',
      symbols: [request.symbol],
      interval: request.interval,
      target: request.target.name,
      horizon: request.target.horizon,
      params: { ...model.params },
      seed: model.seed ?? 0,
      featureSet: { name: request.set.name, hash: document.featureSet.hash, names: frame.names },
      trainFrom: frame.time[0],
      trainTo: frame.time[frame.rows - 1],
      dataHash: `imported:${fileSha256}`,
      metrics: {
        task,
        target: request.target,
        imported: {
          format: request.format,
          file: basename(request.file),
          sha256: fileSha256,
          origin: model.origin,
          objective: model.objective.name,
          trees: model.ensemble.trees.length,
          bestIteration: model.bestIteration,
          featureCheck: namesInFile ? 'names' : 'count',
          trainingRange: 'unknown: the stored range at import is recorded as the training range',
          checkedRows,
        },
        cv: null,
        baselineCv: null,
        test: null,
        baselineTest: null,
        conformal: null,
        importance: importanceOf(model),
        bestIterations: null,
        ranges: null,
        rows: null,
        classValues: document.classValues,
        validation: null,
      },
      trainDurationMs: 0,
      engineVersion: ENGINE_VERSION,
      document: writeRegistryDocument(document),
      activate: request.activate,
    },
    now,
  );
  return {
    model: registered,
    format: request.format,
    fileSha256,
    objective: model.objective.name,
    trees: model.ensemble.trees.length,
    featureCheck: namesInFile ? 'names' : 'count',
    numFeatures: frame.names.length,
    checkedRows,
  };
}

/** Rows predicted by the load check (the newest complete rows). */
const CHECK_ROWS = 256;

/**
 * Read the family document back through the model registry (as prediction will) and predict the newest stored
 * rows that have every feature: the outputs must be finite and equal to the engine's. Returns the rows checked.
 */
function checkLoadable(familyDoc: unknown, engine: GbdtModel, columns: readonly Float64Array[], rows: number): number {
  const loaded = modelFromJSON(familyDoc);
  const picked: number[] = [];
  for (let r = rows - 1; r >= 0 && picked.length < CHECK_ROWS; r--) {
    let complete = true;
    for (let f = 0; f < columns.length && complete; f++) complete = !Number.isNaN(columns[f][r]);
    if (complete) picked.push(r);
  }
  if (picked.length === 0) return 0;
  const n = picked.length;
  const p = columns.length;
  const frameColumns = columns.map((c) => Float64Array.from(picked, (r) => c[r]));
  const rowMajor = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) rowMajor[i * p + f] = frameColumns[f][i];
  const viaRegistry = loaded.predict({ columns: frameColumns, numRows: n, names: engine.featureNames });
  const direct = predictBatchSync(engine, rowMajor, n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(viaRegistry[i]) || viaRegistry[i] !== direct[i]) {
      throw new ModelFormatError(`the imported model predicts ${viaRegistry[i]} for a stored row (the file's own trees give ${direct[i]})`,
        'the file may hold values pulse cannot represent; check it loads and predicts in the tool that wrote it');
    }
  }
  return n;
}

