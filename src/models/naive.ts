/**
 * Naive baselines, the bar every model must clear on the same folds.
 *
 * Regression: `strategy = zero` predicts a zero return (the martingale forecast); `strategy = last` predicts the
 * most recent realised return, read from the feature named by `feature` (e.g. `logret_5` for a 5-bar horizon;
 * a missing value predicts 0). Classification: the training base rates (class frequencies) as probabilities, so
 * the arg-max is the majority class.
 */
import { DataError } from '../core/errors.js';
import { badField, makeDocument, readEnvelope, readNumbers, readObject, onlyKeys } from './model-document.js';
import { checkFrame, checkLabels, checkTask, resolveTableParams, type ParamTable, type ParamValues } from './model-params.js';
import { notFitted } from './linear-model.js';
import type { FeatureColumns, FitOptions, FitReport, Model, ModelDescription, ModelDocument, Task } from './model.js';

/** Naive parameters. */
export const NAIVE_PARAMS: ParamTable = {
  strategy: {
    type: 'enum', values: ['zero', 'last'], default: 'zero',
    description: 'Regression only: `zero` predicts no change; `last` repeats the last realised return (the `feature` column).',
  },
  feature: {
    type: 'string', pattern: /^[A-Za-z0-9_.:-]{1,200}$/, patternText: 'a feature name', default: 'logret_1',
    description: 'Regression with strategy `last`: the feature holding the last realised return (use the horizon, e.g. `logret_5`).',
  },
};

/** The naive baseline of a task. */
export class NaiveModel implements Model {
  readonly family = 'naive' as const;
  readonly params: ParamValues;
  /** Class probabilities (classification) learned by `fit`. */
  private rates: Float64Array | null = null;
  private featureIndex = -1;
  private featureNames: string[] | null = null;
  private seed = 0;

  constructor(readonly task: Task, readonly numClass: number, params: Readonly<Record<string, unknown>> = {}) {
    checkTask(task, numClass);
    this.params = resolveTableParams('naive', NAIVE_PARAMS, params);
  }

  async fit(X: FeatureColumns, y: Float64Array, options: FitOptions): Promise<FitReport> {
    checkFrame(X, 'naive training features');
    checkLabels(y, X.numRows, this.task, this.numClass, 'naive training labels');
    if (X.numRows < 1) throw new DataError('naive needs at least 1 training row', 'train on more rows');
    this.featureNames = [...X.names];
    this.seed = options.seed;
    if (this.task === 'regression') {
      this.rates = new Float64Array(0);
      this.featureIndex = this.params.strategy === 'last' ? this.lastReturnIndex(X.names) : -1;
    } else {
      const rates = new Float64Array(this.numClass);
      for (let i = 0; i < y.length; i++) rates[y[i]]++;
      for (let k = 0; k < this.numClass; k++) rates[k] /= y.length;
      this.rates = rates;
    }
    options.onProgress?.({ stage: 'naive', step: 1, total: 1 });
    return { bestIteration: null, iterations: null };
  }

  private lastReturnIndex(names: readonly string[]): number {
    const idx = names.indexOf(this.params.feature as string);
    if (idx < 0) {
      throw new DataError(`naive strategy last needs the feature ${this.params.feature}, which is not in the feature set`,
        'add it to the feature set, set naive parameter feature to a return column, or use strategy zero');
    }
    return idx;
  }

  predict(X: FeatureColumns): Float64Array {
    const rates = this.rates ?? notFitted('naive');
    checkFrame(X, 'naive prediction features', this.featureNames ?? undefined);
    const n = X.numRows;
    if (this.task === 'regression') {
      const out = new Float64Array(n);
      if (this.featureIndex >= 0) {
        const c = X.columns[this.featureIndex];
        for (let i = 0; i < n; i++) out[i] = c[i] === c[i] ? c[i] : 0;
      }
      return out;
    }
    if (this.task === 'binary') return new Float64Array(n).fill(rates[1]);
    const K = this.numClass;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) out.set(rates, i * K);
    return out;
  }

  toJSON(): ModelDocument {
    const rates = this.rates ?? notFitted('naive');
    return makeDocument('naive', this.task, this.numClass, this.featureNames ?? [], this.params, this.seed,
      { rates: Array.from(rates), featureIndex: this.featureIndex });
  }

  /** Read a naive model document; `ModelFormatError` naming the bad field. */
  static fromJSON(doc: unknown): NaiveModel {
    const d = readEnvelope(doc, 'naive');
    const m = new NaiveModel(d.task, d.numClass, d.params);
    const state = readObject(d.state, 'document.state');
    onlyKeys(state, 'document.state', ['rates', 'featureIndex']);
    const rates = readNumbers(state.rates, 'document.state.rates', d.task === 'regression' ? 0 : d.numClass);
    if (rates.some((r) => r < 0 || r > 1)) badField('document.state.rates', 'must be probabilities in [0, 1]');
    const idx = state.featureIndex;
    const expected = d.task === 'regression' && m.params.strategy === 'last' ? d.featureNames.indexOf(m.params.feature as string) : -1;
    if (idx !== expected) badField('document.state.featureIndex', `must be ${expected} for these params and feature names, got ${JSON.stringify(idx)}`);
    m.rates = rates;
    m.featureIndex = expected;
    m.featureNames = d.featureNames;
    m.seed = d.seed;
    return m;
  }

  describe(): ModelDescription {
    const rates = this.rates ?? notFitted('naive');
    const details: ModelDescription['details'] = this.task === 'regression'
      ? { strategy: this.params.strategy as string, feature: this.featureIndex >= 0 ? (this.params.feature as string) : null }
      : Object.fromEntries(Array.from(rates, (r, k) => [`rate_${k}`, r]));
    return { family: 'naive', task: this.task, numClass: this.numClass, params: { ...this.params }, featureImportance: null, details };
  }
}
