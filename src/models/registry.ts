/**
 * The model registry: one factory per family in a typed `Record<ModelFamily, ModelFactory>`, so adding a family
 * is one entry and the compiler insists every family has one. `createModel` and `modelFromJSON` are the only
 * ways the rest of pulse builds models.
 */
import { UsageError } from '../core/errors.js';
import { EnsembleModel } from './ensemble.js';
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

/** Builds and reads the models of one family. */
export interface ModelFactory {
  /** Tasks the family supports. */
  tasks: readonly Task[];
  /** A new, unfitted model; `UsageError` for bad parameters or an unsupported task. */
  create(spec: ModelSpec): Model;
  /** A fitted model from its document; `ModelFormatError` naming the bad field. */
  fromJSON(doc: unknown): Model;
}

const ALL_TASKS: readonly Task[] = ['regression', 'binary', 'multiclass'];

/** Every family's factory. */
export const MODEL_REGISTRY: Readonly<Record<ModelFamily, ModelFactory>> = {
  lightgbm: {
    tasks: ALL_TASKS,
    create: (s) => new GbdtFamilyModel('lightgbm', s.task, s.numClass, s.params),
    fromJSON: (d) => GbdtFamilyModel.fromJSON(d, 'lightgbm'),
  },
  xgboost: {
    tasks: ALL_TASKS,
    create: (s) => new GbdtFamilyModel('xgboost', s.task, s.numClass, s.params),
    fromJSON: (d) => GbdtFamilyModel.fromJSON(d, 'xgboost'),
  },
  rf: {
    tasks: ALL_TASKS,
    create: (s) => new GbdtFamilyModel('rf', s.task, s.numClass, s.params),
    fromJSON: (d) => GbdtFamilyModel.fromJSON(d, 'rf'),
  },
  ridge: { tasks: ['regression'], create: (s) => new RidgeModel(s.task, s.params), fromJSON: (d) => RidgeModel.fromJSON(d) },
  logistic: {
    tasks: ['binary', 'multiclass'],
    create: (s) => new LogisticModel(s.task, s.numClass, s.params),
    fromJSON: (d) => LogisticModel.fromJSON(d),
  },
  naive: { tasks: ALL_TASKS, create: (s) => new NaiveModel(s.task, s.numClass, s.params), fromJSON: (d) => NaiveModel.fromJSON(d) },
  ensemble: { tasks: ALL_TASKS, create: (s) => new EnsembleModel(s.task, s.numClass, s.params), fromJSON: (d) => EnsembleModel.fromJSON(d) },
};

/** Build an unfitted model; `UsageError` for an unknown family, an unsupported task or bad parameters. */
export function createModel(family: ModelFamily, spec: ModelSpec): Model {
  const factory = MODEL_REGISTRY[family];
  if (!MODEL_FAMILIES.includes(family) || !factory) {
    throw new UsageError(`unknown model family ${JSON.stringify(family)}`, `use one of ${MODEL_FAMILIES.join(', ')}`);
  }
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
