import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { canonicalNameOf, PARAMS, resolveParams } from '../../src/gbdt/params.js';
import { renderParameterDocs } from '../../src/gbdt/params-docs.js';
import { REPO_ROOT } from '../helpers/shared.js';

describe('resolveParams', () => {
  it('fills per-mode defaults', () => {
    const lgb = resolveParams('lightgbm');
    expect(lgb).toMatchObject({ learning_rate: 0.1, num_leaves: 31, max_depth: -1, lambda_l2: 0, min_data_in_leaf: 20, grow_policy: 'leafwise' });
    const xgb = resolveParams('xgboost');
    expect(xgb).toMatchObject({ learning_rate: 0.3, max_depth: 6, lambda_l2: 1, min_sum_hessian_in_leaf: 1, min_data_in_leaf: 0, grow_policy: 'depthwise' });
    const rf = resolveParams('rf');
    expect(rf).toMatchObject({ bagging_fraction: 0.632, bagging_freq: 1 });
  });

  it('accepts LightGBM aliases in lightgbm mode and XGBoost names in xgboost mode', () => {
    expect(resolveParams('lightgbm', { shrinkage_rate: 0.05, min_child_samples: 5, reg_lambda: 2, subsample: 0.8, subsample_freq: 1 }))
      .toMatchObject({ learning_rate: 0.05, min_data_in_leaf: 5, lambda_l2: 2, bagging_fraction: 0.8, bagging_freq: 1 });
    expect(resolveParams('xgboost', { eta: 0.2, max_depth: 4, min_child_weight: 3, lambda: 0.5, alpha: 0.1, gamma: 1, subsample: 0.7, colsample_bytree: 0.5 }))
      .toMatchObject({ learning_rate: 0.2, max_depth: 4, min_sum_hessian_in_leaf: 3, lambda_l2: 0.5, lambda_l1: 0.1, min_gain_to_split: 1, bagging_fraction: 0.7, feature_fraction: 0.5 });
    expect(resolveParams('xgboost', { objective: 'binary:logistic' }).objective).toBe('binary');
    expect(resolveParams('lightgbm', { objective: 'l1', metric: 'l2_root,auc' }).metric).toEqual(['rmse', 'auc']);
    expect(resolveParams('lightgbm', { num_leaves: '15' }).num_leaves).toBe(15);
  });

  it('rejects unknown parameters by name, per mode', () => {
    expect(() => resolveParams('lightgbm', { nmu_leaves: 3 })).toThrow(/unknown lightgbm parameter "nmu_leaves"/);
    expect(() => resolveParams('xgboost', { num_leaves: 3 })).toThrow(/unknown xgboost parameter "num_leaves"/);
    expect(() => resolveParams('xgboost', { gamma: 1 })).not.toThrow();
    expect(() => resolveParams('lightgbm', { gamma: 1 })).toThrow(UsageError);
  });

  it('rejects out-of-range values naming the parameter and its range', () => {
    const err = (() => {
      try {
        resolveParams('lightgbm', { learning_rate: 0 });
      } catch (e) {
        return e as UsageError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err?.message).toMatch(/learning_rate = 0 is invalid: out of range/);
    expect(err?.hint).toBe('learning_rate must be (0, 1]');
    expect(() => resolveParams('lightgbm', { num_leaves: 1 })).toThrow(/num_leaves = 1/);
    expect(() => resolveParams('lightgbm', { bagging_fraction: 1.5 })).toThrow(/bagging_fraction = 1.5.*out of range/);
    expect(() => resolveParams('lightgbm', { num_iterations: 2.5 })).toThrow(/not an integer/);
    expect(() => resolveParams('lightgbm', { lambda_l2: Number.NaN })).toThrow(/not a finite number/);
    expect(() => resolveParams('lightgbm', { objective: 'poisson' })).toThrow(/objective = "poisson" is invalid/);
    expect(() => resolveParams('lightgbm', { metric: 'rmse,nope' })).toThrow(/unknown metric "nope"/);
  });

  it('rejects a parameter given twice and inconsistent combinations', () => {
    expect(() => resolveParams('lightgbm', { eta: 0.1, learning_rate: 0.2 })).toThrow(/given twice/);
    expect(() => resolveParams('lightgbm', { objective: 'multiclass' })).toThrow(/num_class >= 2/);
    expect(() => resolveParams('lightgbm', { num_class: 3 })).toThrow(/only valid with the multiclass/);
    expect(() => resolveParams('lightgbm', { objective: 'quantile', alpha: 1.5 })).toThrow(/quantile needs alpha/);
    expect(() => resolveParams('rf', { bagging_fraction: 1 })).toThrow(/random-forest mode needs bagging/);
    expect(() => resolveParams('xgboost', { max_depth: 0 })).toThrow(/max_depth > 0 or max_leaves > 0/);
  });

  it('maps names to canonical keys', () => {
    expect(canonicalNameOf('xgboost', 'eta')).toBe('learning_rate');
    expect(canonicalNameOf('lightgbm', 'eta')).toBe('learning_rate');
    expect(canonicalNameOf('xgboost', 'bagging_fraction')).toBeUndefined();
  });

  it('documents every parameter with a description', () => {
    for (const [key, spec] of Object.entries(PARAMS)) expect(spec.description.length, key).toBeGreaterThan(20);
  });
});

describe('docs/gbdt-parameters.md', () => {
  // Regenerate with: PULSE_UPDATE_DOCS=1 npx vitest run test/gbdt/params.test.ts
  it('is generated from the parameter table and current', () => {
    const path = `${REPO_ROOT}/docs/gbdt-parameters.md`;
    if (process.env.PULSE_UPDATE_DOCS === '1') writeFileSync(path, `${renderParameterDocs()}\n`);
    expect(readFileSync(path, 'utf8'), 'docs/gbdt-parameters.md is stale: rerun with PULSE_UPDATE_DOCS=1').toBe(`${renderParameterDocs()}\n`);
  });
});
