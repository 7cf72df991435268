/**
 * The model registry: one factory per family in a typed `Record<ModelFamily, ModelFactory>`, so adding a family
 * is one entry and the compiler insists every family has one. `createModel` and `modelFromJSON` are the only
 * ways the rest of pulse builds models, and {@link familyTraits} is the only place the rest of pulse learns what a
 * family can do (trees, early stopping, threads, horizon-dependent parameters, how it is explained): nothing
 * outside src/models switches on a family name.
 */
import { UsageError } from '../core/errors.js';
import type { Compressor } from './compression.js';
import { EnsembleModel } from './ensemble.js';
import type { GbdtModel } from '../gbdt/model.js';
import { GbdtFamilyModel } from './gbdt-model.js';
import { LogisticModel } from './logistic.js';
import { badField, readObject, readString } from './model-document.js';
import { MODEL_FAMILIES, type Model, type ModelFamily, type Task } from './model.js';
import { NaiveModel } from './naive.js';
import { RidgeModel } from './ridge.js';

/** What a family needs to build: the task, its class count and the user's parameters. */
export interface ModelSpec {
  task: Task;
  /** 1 for regression, 2 for binary, the number of classes for multiclass. */
  numClass: number;
  params?: Readonly<Record<string, unknown>>;
}

/**
 * How a family's prediction is split into feature contributions by `pulse models explain`: TreeSHAP on its trees,
 * coefficient x standardised value, the stacked split of an ensemble, or nothing (a model that reads no feature).
 */
export type ExplainMethod = 'treeshap' | 'linear' | 'stacked' | null;

/** What a family can do, as the code outside src/models needs to know it. */
export interface FamilyTraits {
  /** Short name used in registered model ids (`lgbm-AAPL-1d-v3`). */
  idPrefix: string;
  /**
   * The fitted model's trees (GBDT families: what LightGBM export writes and TreeSHAP reads); absent for families
   * without trees.
   */
  trees?: (model: Model) => GbdtModel;
  /** Whether the family's iteration count is chosen by early stopping on validation rows (its defaults assume one). */
  earlyStopping: boolean;
  /**
   * The parameters with the fit pinned to `threads` threads unless the user set a thread count; absent for
   * families that fit in one thread anyway. Results do not depend on it.
   */
  limitThreads?: (params: Readonly<Record<string, unknown>>, threads: number) => Record<string, unknown>;
  /**
   * The parameters with those that depend on the label horizon filled in unless set (the ensemble purges its inner
   * folds by the horizon); absent when none do.
   */
  horizonParams?: (params: Readonly<Record<string, unknown>>, horizon: number) => Record<string, unknown>;
  explain: ExplainMethod;
  /**
   * How `pulse models compress` compresses the family's fitted models (src/models/compression.ts); absent for
   * families that cannot be compressed.
   */
  compress?: Compressor;
}

/** Builds and reads the models of one family. */
export interface ModelFactory {
  traits: FamilyTraits;
  /** Tasks the family supports. */
  tasks: readonly Task[];
  /** A new, unfitted model; `UsageError` for bad parameters or an unsupported task. */
  create(spec: ModelSpec): Model;
  /** A fitted model from its document; `ModelFormatError` naming the bad field. */
  fromJSON(doc: unknown): Model;
}

const ALL_TASKS: readonly Task[] = ['regression', 'binary', 'multiclass'];

/** The engine's thread parameters (and its alias); a user's setting wins. */
function oneEngineThreadCount(params: Readonly<Record<string, unknown>>, threads: number): Record<string, unknown> {
  return 'num_threads' in params || 'nthread' in params ? { ...params } : { ...params, num_threads: threads };
}

const gbdtTraits = (idPrefix: string, earlyStopping: boolean): FamilyTraits => ({
  idPrefix,
  trees: (m) => (m as GbdtFamilyModel).gbdtModel,
  earlyStopping,
  limitThreads: oneEngineThreadCount,
  explain: 'treeshap',
  compress: async (m, tolerances, check) => (await import('./gbdt-compress.js')).compressGbdtFamily(m as GbdtFamilyModel, tolerances, check),
});

/** Every family's factory. */
export const MODEL_REGISTRY: Readonly<Record<ModelFamily, ModelFactory>> = {
  lightgbm: {
    traits: gbdtTraits('lgbm', true),
    tasks: ALL_TASKS,
    create: (s) => new GbdtFamilyModel('lightgbm', s.task, s.numClass, s.params),
    fromJSON: (d) => GbdtFamilyModel.fromJSON(d, 'lightgbm'),
  },
  xgboost: {
    traits: gbdtTraits('xgb', true),
    tasks: ALL_TASKS,
    create: (s) => new GbdtFamilyModel('xgboost', s.task, s.numClass, s.params),
    fromJSON: (d) => GbdtFamilyModel.fromJSON(d, 'xgboost'),
  },
  rf: {
    traits: gbdtTraits('rf', false),
    tasks: ALL_TASKS,
    create: (s) => new GbdtFamilyModel('rf', s.task, s.numClass, s.params),
    fromJSON: (d) => GbdtFamilyModel.fromJSON(d, 'rf'),
  },
  ridge: {
    traits: { idPrefix: 'ridge', earlyStopping: false, explain: 'linear', compress: async (m, t, c) => (m as RidgeModel).compress(t, c) },
    tasks: ['regression'],
    create: (s) => new RidgeModel(s.task, s.params), fromJSON: (d) => RidgeModel.fromJSON(d) },
  logistic: {
    traits: { idPrefix: 'logit', earlyStopping: false, explain: 'linear', compress: async (m, t, c) => (m as LogisticModel).compress(t, c) },
    tasks: ['binary', 'multiclass'],
    create: (s) => new LogisticModel(s.task, s.numClass, s.params),
    fromJSON: (d) => LogisticModel.fromJSON(d),
  },
  naive: {
    traits: { idPrefix: 'naive', earlyStopping: false, explain: null },
    tasks: ALL_TASKS,
    create: (s) => new NaiveModel(s.task, s.numClass, s.params),
    fromJSON: (d) => NaiveModel.fromJSON(d),
  },
  ensemble: {
    traits: {
      idPrefix: 'ens',
      earlyStopping: false,
      horizonParams: (params, horizon) => (params.purge === undefined ? { ...params, purge: horizon } : { ...params }),
      explain: 'stacked',
    },
    tasks: ALL_TASKS,
    create: (s) => new EnsembleModel(s.task, s.numClass, s.params),
    fromJSON: (d) => EnsembleModel.fromJSON(d),
  },
};

/** The factory of a family; `UsageError` for a name that is not one (a caller's string cast to ModelFamily). */
function factoryOf(family: ModelFamily): ModelFactory {
  const factory = MODEL_REGISTRY[family];
  if (!MODEL_FAMILIES.includes(family) || !factory) {
    throw new UsageError(`unknown model family ${JSON.stringify(family)}`, `use one of ${MODEL_FAMILIES.join(', ')}`);
  }
  return factory;
}

/** Build an unfitted model; `UsageError` for an unknown family, an unsupported task or bad parameters. */
export function createModel(family: ModelFamily, spec: ModelSpec): Model {
  const factory = factoryOf(family);
  if (!factory.tasks.includes(spec.task)) {
    throw new UsageError(`model ${family} does not support the ${spec.task} task`, `${family} supports ${factory.tasks.join(', ')}`);
  }
  return factory.create(spec);
}

/** Read any family's model document (the family is taken from the document); `ModelFormatError` naming the bad field. */
export function modelFromJSON(doc: unknown): Model {
  const family = readString(readObject(doc, 'the document').family, 'document.family') as ModelFamily;
  if (!MODEL_FAMILIES.includes(family)) badField('document.family', `must be one of ${MODEL_FAMILIES.join(', ')}, got ${JSON.stringify(family)}`);
  return MODEL_REGISTRY[family].fromJSON(doc);
}

/** What a family can do (see {@link FamilyTraits}); `UsageError` for an unknown family. */
export function familyTraits(family: ModelFamily): FamilyTraits {
  return factoryOf(family).traits;
}

/** The families with trees (LightGBM export, TreeSHAP, imports), in the order of {@link MODEL_FAMILIES}. */
export const GBDT_FAMILIES: readonly ModelFamily[] = MODEL_FAMILIES.filter((f) => MODEL_REGISTRY[f].traits.trees !== undefined);

/**
 * The parameters a family is fitted with for a label horizon: the user's, plus the horizon-dependent ones the
 * family fills in (see {@link FamilyTraits.horizonParams}). `pulse train` and walk-forward retraining both use it.
 */
export function trainingParams(family: ModelFamily, params: Readonly<Record<string, unknown>>, horizon: number): Record<string, unknown> {
  const fill = familyTraits(family).horizonParams;
  return fill ? fill(params, horizon) : { ...params };
}
