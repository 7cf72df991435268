/**
 * Stacking ensemble: a GBDT base model and a linear base model (ridge for regression, logistic for
 * classification), combined by a linear meta-learner (ridge or logistic) fitted on the base models'
 * out-of-fold predictions.
 *
 * Out-of-fold predictions come from a purged k-fold over the training rows (`inner_folds` blocks, `purge` rows
 * removed on both sides of each block; the family's `horizonParams` trait sets `purge` to the label horizon for
 * every training fit). The GBDT is first fitted on all training rows, early-stopped on the caller's validation rows; the inner folds then train exactly that
 * many iterations, so the out-of-fold predictions never see the rows they predict. Meta features are the base
 * predictions (regression), their logits (binary) or their log-probabilities (multiclass). At prediction time each
 * meta feature is clamped to the range it had out of fold: the meta-learner standardises its inputs, and a base
 * prediction far outside anything it was fitted on (a near-constant out-of-fold column, an extreme probability)
 * would otherwise be extrapolated into a near-certain forecast.
 *
 * Parameters: the ensemble's own (table below) plus base-model parameters prefixed `gbdt.` or `linear.`
 * (e.g. `gbdt.num_leaves=7`, `linear.alpha=100`), validated by the base family.
 */
import { mix32 } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import { selectRows, selectValues } from './frame.js';
import { GbdtFamilyModel } from './gbdt-model.js';
import { normalizedImportance, notFitted } from './linear-model.js';
import { LogisticModel } from './logistic.js';
import { badField, makeDocument, onlyKeys, readEnvelope, readNumbers, readObject } from './model-document.js';
import { checkFrame, checkLabels, checkTask, resolveTableParams, type ParamTable, type ParamValues } from './model-params.js';
import { RidgeModel } from './ridge.js';
import type { FeatureColumns, FitOptions, FitReport, Model, ModelDescription, ModelDocument, Task } from './model.js';

/** Ensemble parameters (base-model parameters go under the `gbdt.` and `linear.` prefixes). */
export const ENSEMBLE_PARAMS: ParamTable = {
  base: { type: 'enum', values: ['lightgbm', 'xgboost', 'rf'], default: 'lightgbm', description: 'GBDT family of the tree base model.' },
  inner_folds: { type: 'int', min: 2, max: 20, default: 4, description: 'Purged k-fold blocks for the out-of-fold base predictions.' },
  purge: { type: 'int', min: 0, max: 100000, default: 0, description: 'Rows purged on both sides of each inner block (the label horizon; set by pulse train and walk-forward retraining).' },
  meta_alpha: { type: 'float', min: 0, max: 1e12, default: 10, description: 'L2 penalty of the meta-learner (ridge or logistic alpha); its few inputs are informative, so it is light.' },
};

type LinearBase = RidgeModel | LogisticModel;

const META_NAMES = ['gbdt', 'linear'] as const;
const PROB_FLOOR = 1e-7;

function splitParams(user: Readonly<Record<string, unknown>>): { own: Record<string, unknown>; gbdt: Record<string, unknown>; linear: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  const gbdt: Record<string, unknown> = {};
  const linear: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(user)) {
    if (k.startsWith('gbdt.')) gbdt[k.slice(5)] = v;
    else if (k.startsWith('linear.')) linear[k.slice(7)] = v;
    else own[k] = v;
  }
  return { own, gbdt, linear };
}

/** The stacking ensemble model. */
export class EnsembleModel implements Model {
  readonly family = 'ensemble' as const;
  readonly params: Record<string, number | string | boolean>;
  private readonly own: ParamValues;
  private readonly gbdtParams: Record<string, unknown>;
  private readonly linearParams: Record<string, unknown>;
  private parts: { gbdt: GbdtFamilyModel; linear: LinearBase; meta: LinearBase; metaMin: Float64Array; metaMax: Float64Array } | null = null;
  private featureNames: string[] = [];
  private seed = 0;

  constructor(readonly task: Task, readonly numClass: number, params: Readonly<Record<string, unknown>> = {}) {
    checkTask(task, numClass);
    const { own, gbdt, linear } = splitParams(params);
    this.own = resolveTableParams('ensemble', ENSEMBLE_PARAMS, own);
    this.gbdtParams = gbdt;
    this.linearParams = linear;
    // validate the base parameters now, so a bad one fails before any training
    this.makeGbdt();
    this.makeLinear();
    this.params = { ...this.own };
    for (const [k, v] of Object.entries(gbdt)) this.params[`gbdt.${k}`] = v as number | string;
    for (const [k, v] of Object.entries(linear)) this.params[`linear.${k}`] = v as number | string;
  }

  private makeGbdt(): GbdtFamilyModel {
    return new GbdtFamilyModel(this.own.base as 'lightgbm' | 'xgboost' | 'rf', this.task, this.numClass, this.gbdtParams);
  }

  private makeLinear(): LinearBase {
    return this.task === 'regression' ? new RidgeModel(this.task, this.linearParams) : new LogisticModel(this.task, this.numClass, this.linearParams);
  }

  private makeMeta(): LinearBase {
    const params = { alpha: this.own.meta_alpha };
    return this.task === 'regression' ? new RidgeModel(this.task, params) : new LogisticModel(this.task, this.numClass, params);
  }

  /** Meta-feature columns of base predictions (see the module note). */
  private metaFrame(gbdtPred: Float64Array, linearPred: Float64Array, numRows: number): FeatureColumns {
    const columns: Float64Array[] = [];
    const names: string[] = [];
    const width = this.task === 'multiclass' ? this.numClass : 1;
    [gbdtPred, linearPred].forEach((pred, b) => {
      for (let k = 0; k < width; k++) {
        const col = new Float64Array(numRows);
        for (let i = 0; i < numRows; i++) {
          const v = pred[i * width + k];
          if (this.task === 'regression') col[i] = v;
          else {
            const q = Math.min(1 - PROB_FLOOR, Math.max(PROB_FLOOR, v));
            col[i] = this.task === 'binary' ? Math.log(q / (1 - q)) : Math.log(q);
          }
        }
        columns.push(col);
        names.push(width === 1 ? META_NAMES[b] : `${META_NAMES[b]}_${k}`);
      }
    });
    return { columns, numRows, names };
  }

  async fit(X: FeatureColumns, y: Float64Array, options: FitOptions): Promise<FitReport> {
    checkFrame(X, 'ensemble training features');
    checkLabels(y, X.numRows, this.task, this.numClass, 'ensemble training labels');
    const n = X.numRows;
    const folds = this.own.inner_folds as number;
    const purge = this.own.purge as number;
    const seed = options.seed;
    const gbdt = this.makeGbdt();
    const pace = options.pace;
    const gbdtReport = await gbdt.fit(X, y, { valid: options.valid, seed, iterations: options.iterations, onProgress: options.onProgress, pace });
    const iterations = gbdtReport.bestIteration ?? undefined;
    const linear = this.makeLinear();
    await linear.fit(X, y, { seed, pace });

    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const { purgedKFoldSplits } = await import('../evaluation/splits.js'); // loaded on the first fit, not to predict
    const splits = purgedKFoldSplits(rows, { scheme: 'purged-kfold', folds, horizon: purge, embargo: 0, window: { kind: 'expanding' } });
    const width = this.task === 'multiclass' ? this.numClass : 1;
    const oofG = new Float64Array(n * width);
    const oofL = new Float64Array(n * width);
    for (const [k, split] of splits.entries()) {
      if (split.train.length < 2 || split.valid.length === 0) {
        throw new UsageError(`ensemble: inner fold ${k + 1} of ${folds} has ${split.train.length} training rows after purging ${purge}`,
          'lower ensemble inner_folds or purge, or train on more rows');
      }
      const Xt = selectRows(X, split.train);
      const yt = selectValues(y, split.train);
      const Xv = selectRows(X, split.valid);
      const g = this.makeGbdt();
      await g.fit(Xt, yt, { seed: mix32(seed, k + 1), iterations, pace });
      const l = this.makeLinear();
      await l.fit(Xt, yt, { seed, pace });
      const pg = g.predict(Xv);
      const pl = l.predict(Xv);
      for (let i = 0; i < split.valid.length; i++) {
        const r = split.valid[i];
        for (let c = 0; c < width; c++) {
          oofG[r * width + c] = pg[i * width + c];
          oofL[r * width + c] = pl[i * width + c];
        }
      }
      options.onProgress?.({ stage: 'ensemble:inner', step: k + 1, total: folds });
    }
    const meta = this.makeMeta();
    const metaX = this.metaFrame(oofG, oofL, n);
    await meta.fit(metaX, y, { seed, pace });
    const metaMin = Float64Array.from(metaX.columns, (c) => c.reduce((a, b) => Math.min(a, b), Infinity));
    const metaMax = Float64Array.from(metaX.columns, (c) => c.reduce((a, b) => Math.max(a, b), -Infinity));
    this.parts = { gbdt, linear, meta, metaMin, metaMax };
    this.featureNames = [...X.names];
    this.seed = seed;
    return { bestIteration: gbdtReport.bestIteration, iterations: gbdtReport.iterations };
  }

  predict(X: FeatureColumns): Float64Array {
    const parts = this.parts ?? notFitted('ensemble');
    checkFrame(X, 'ensemble prediction features', this.featureNames);
    const metaX = this.metaFrame(parts.gbdt.predict(X), parts.linear.predict(X), X.numRows);
    metaX.columns.forEach((c, j) => {
      const lo = parts.metaMin[j];
      const hi = parts.metaMax[j];
      for (let i = 0; i < c.length; i++) c[i] = c[i] < lo ? lo : c[i] > hi ? hi : c[i];
    });
    return parts.meta.predict(metaX);
  }

  toJSON(): ModelDocument {
    const parts = this.parts ?? notFitted('ensemble');
    return makeDocument('ensemble', this.task, this.numClass, this.featureNames, this.params, this.seed, {
      gbdt: parts.gbdt.toJSON(), linear: parts.linear.toJSON(), meta: parts.meta.toJSON(),
      metaMin: Array.from(parts.metaMin), metaMax: Array.from(parts.metaMax),
    });
  }

  /** Read an ensemble document (three nested model documents); `ModelFormatError` naming the bad field. */
  static fromJSON(doc: unknown): EnsembleModel {
    const d = readEnvelope(doc, 'ensemble');
    const m = new EnsembleModel(d.task, d.numClass, d.params);
    const state = readObject(d.state, 'document.state');
    onlyKeys(state, 'document.state', ['gbdt', 'linear', 'meta', 'metaMin', 'metaMax']);
    const base = m.own.base as 'lightgbm' | 'xgboost' | 'rf';
    const gbdt = GbdtFamilyModel.fromJSON(state.gbdt, base);
    const linearFamily = d.task === 'regression' ? 'ridge' : 'logistic';
    const read = (v: unknown): LinearBase => (linearFamily === 'ridge' ? RidgeModel.fromJSON(v) : LogisticModel.fromJSON(v));
    const linear = read(state.linear);
    const meta = read(state.meta);
    for (const [name, part] of [['gbdt', gbdt], ['linear', linear], ['meta', meta]] as const) {
      if (part.task !== d.task || part.numClass !== d.numClass) badField(`document.state.${name}`, `is a ${part.task} model, expected ${d.task}`);
    }
    const width = 2 * (d.task === 'multiclass' ? d.numClass : 1);
    const metaMin = readNumbers(state.metaMin, 'document.state.metaMin', width);
    const metaMax = readNumbers(state.metaMax, 'document.state.metaMax', width);
    metaMin.forEach((lo, j) => {
      if (!(lo <= metaMax[j])) badField(`document.state.metaMin[${j}]`, `exceeds metaMax[${j}]`);
    });
    m.parts = { gbdt, linear, meta, metaMin, metaMax };
    m.featureNames = d.featureNames;
    m.seed = d.seed;
    return m;
  }

  describe(): ModelDescription {
    const parts = this.parts ?? notFitted('ensemble');
    const metaImp = parts.meta.describe().featureImportance ?? [];
    const weight = { gbdt: 0, linear: 0 };
    for (const e of metaImp) weight[e.feature.startsWith('gbdt') ? 'gbdt' : 'linear'] += e.importance;
    const g = parts.gbdt.describe().featureImportance ?? [];
    const l = parts.linear.describe().featureImportance ?? [];
    const raw = this.featureNames.map((_, f) => weight.gbdt * (g[f]?.importance ?? 0) + weight.linear * (l[f]?.importance ?? 0));
    return {
      family: 'ensemble', task: this.task, numClass: this.numClass, params: { ...this.params },
      featureImportance: normalizedImportance(raw, this.featureNames),
      details: { gbdtWeight: weight.gbdt, linearWeight: weight.linear, bestIteration: parts.gbdt.describe().details.bestIteration ?? null },
    };
  }
}
