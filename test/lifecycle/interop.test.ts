import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, ModelFormatError, UsageError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildFeatureFrame } from '../../src/dataset/feature-frame.js';
import { parseFeatureSetSpec, type FeatureSetSpec } from '../../src/features/feature-set.js';
import { parseLightGbmText, writeLightGbmText } from '../../src/gbdt/format/lightgbm-text.js';
import { predictBatchSync, treesUsed } from '../../src/gbdt/predict.js';
import { SyntheticSource } from '../../src/market/sources/synthetic.js';
import { loadCalendar } from '../../src/market/calendars/registry.js';
import type { ModelFamily } from '../../src/models/model.js';
import { modelFromJSON } from '../../src/models/registry.js';
import { loadRegisteredModel } from '../../src/lifecycle/load.js';
import { explainModel } from '../../src/lifecycle/explain.js';
import { readRegistryDocument } from '../../src/lifecycle/document.js';
import { exportModel, gbdtModelOf, usedIterationsOnly } from '../../src/lifecycle/export-model.js';
import { importModel, type ImportRequest } from '../../src/lifecycle/import-model.js';
import { getModel, readModelDocument } from '../../src/registry/registry.js';
import { barsToColumns } from '../../src/core/bars.js';
import { openStore, type Store } from '../../src/store/store.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { trainJob } from '../../src/train/train-job.js';
import { useTempHome } from '../helpers/home.js';
import { fixturePath, HAS_SHARED, sharedPath } from '../helpers/shared.js';

const ORACLE = JSON.parse(readFileSync(fixturePath('models', 'xgb-import.oracle.json'), 'utf8')) as {
  set: unknown;
  rows: { timestamp: string; return: number; direction: number; nonames: number }[];
};
const SET = parseFeatureSetSpec(ORACLE.set);
/** The same 8 columns under other names (a set the fixtures were not trained on). */
const OTHER = parseFeatureSetSpec({ name: 'other', version: 1, features: ['rsi_7', 'logret_1', 'logret_5', 'vol_20', 'roc_10', 'zscore_20', 'natr_14', 'dow_sin'] });

/** The bars `pulse collect ACME --source synthetic --interval 1d --seed 7 --from 2021-01-01 --to 2023-01-01 --calendar XNYS` stores. */
async function storeAcme(store: Store): Promise<void> {
  const source = new SyntheticSource({ seed: 7, now: () => Date.UTC(2024, 0, 1) });
  const { rows } = source.fetchSync({ symbol: 'ACME', interval: '1d', from: Date.UTC(2021, 0, 1), to: Date.UTC(2023, 0, 1), calendar: loadCalendar('XNYS') });
  const bars = rows.map(({ raw: _raw, ...bar }) => bar);
  await store.bars.upsert('ACME', '1d', barsToColumns(bars), { source: 'synthetic', now: 1 });
}

async function train(store: Store, home: string, family: ModelFamily, target: 'return' | 'direction', params: Record<string, unknown>) {
  const result = await trainJob(
    {
      symbols: ['ACME'], interval: '1d', family, target: parseTarget(target, { horizon: 1 }), set: SET, references: {}, params,
      cv: 'walk-forward', folds: 2, window: { kind: 'expanding' }, embargo: 1, testSize: 0.15, pooled: false, seed: 3, activate: false, trigger: 'manual',
    },
    { store, home, now: () => 1_000, log: silentLogger },
  );
  return result.models[0].model;
}

/** Every stored row with all features present, row-major, plus its column-major frame. */
async function completeRows(store: Store, set: FeatureSetSpec) {
  const frame = await buildFeatureFrame(store, { symbol: 'ACME', interval: '1d', set });
  const rows: number[] = [];
  for (let r = 0; r < frame.rows; r++) if (frame.columns.every((c) => !Number.isNaN(c[r]))) rows.push(r);
  const p = frame.columns.length;
  const rowMajor = new Float64Array(rows.length * p);
  rows.forEach((r, i) => frame.columns.forEach((c, f) => (rowMajor[i * p + f] = c[r])));
  const columns = frame.columns.map((c) => Float64Array.from(rows, (r) => c[r]));
  return { rowMajor, frame: { columns, numRows: rows.length, names: frame.names }, n: rows.length };
}

function request(home: string, file: string, over: Partial<ImportRequest> = {}): ImportRequest {
  return { file, format: 'lightgbm', symbol: 'ACME', interval: '1d', set: SET, references: {}, target: parseTarget('return', { horizon: 1 }), activate: false, ...over };
}

describe('pulse models export / import', () => {
  const tempHome = useTempHome();

  it('exports the registry document byte for byte, and LightGBM text that reads back to identical predictions', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await storeAcme(store);
    const lgbm = await train(store, home, 'lightgbm', 'return', { num_iterations: 200, num_leaves: 7, min_data_in_leaf: 20, early_stopping_round: 5, learning_rate: 0.1 });
    const xgbm = await train(store, home, 'xgboost', 'direction', { n_estimators: 40, max_depth: 3 });
    const { rowMajor, frame, n } = await completeRows(store, SET);
    for (const m of [lgbm, xgbm]) {
      expect((await exportModel(store, m.id, 'pulse')).text).toBe(readModelDocument(await getModel(store, m.id)));
      const exported = await exportModel(store, m.id, 'lightgbm');
      const doc = readRegistryDocument(readModelDocument(await getModel(store, m.id)), m.id);
      const original = gbdtModelOf(doc, m.id, 'test');
      expect(exported.trees).toBe(treesUsed(original));
      const back = parseLightGbmText(exported.text);
      expect(back.featureNames).toEqual(SET.features);
      expect(back.ensemble.trees).toHaveLength(treesUsed(original));
      // what LightGBM would predict from the file (all its trees) is exactly what pulse predicts
      expect(predictBatchSync(back, rowMajor, n)).toEqual(modelFromJSON(doc.model).predict(frame));
    }
    // a model that keeps trees past its best iteration (as imports with early stopping do) exports only the used ones
    const full = gbdtModelOf(readRegistryDocument(readModelDocument(await getModel(store, lgbm.id)), lgbm.id), lgbm.id, 'test');
    expect(full.ensemble.trees.length).toBeGreaterThan(3);
    const stopped = { ...full, bestIteration: 3 };
    const cut = usedIterationsOnly(stopped);
    expect(cut.ensemble.trees).toHaveLength(3);
    expect(cut.bestIteration).toBeNull();
    expect(predictBatchSync(parseLightGbmText(writeLightGbmText(cut)), rowMajor, n)).toEqual(predictBatchSync(stopped, rowMajor, n));
    expect(predictBatchSync(stopped, rowMajor, n)).not.toEqual(predictBatchSync(full, rowMajor, n));
    expect(usedIterationsOnly(full)).toBe(full);
    const ridge = await train(store, home, 'ridge', 'return', {});
    await expect(exportModel(store, ridge.id, 'lightgbm')).rejects.toThrow(UsageError);
    await expect(exportModel(store, ridge.id, 'lightgbm')).rejects.toThrow(/\(family ridge\) has no trees: LightGBM export needs a GBDT model/);
    expect((await exportModel(store, ridge.id, 'pulse')).text).toBe(readModelDocument(await getModel(store, ridge.id)));
    await store.close();
  });

  it('imports exported LightGBM text as a new version that prediction loads and that predicts the same', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await storeAcme(store);
    const original = await train(store, home, 'lightgbm', 'return', { num_iterations: 30, num_leaves: 7, min_data_in_leaf: 20 });
    const file = join(home, 'model.txt');
    const exported = await exportModel(store, original.id, 'lightgbm');
    writeFileSync(file, exported.text);
    const imported = await importModel(store, request(home, file, { target: parseTarget('return', { horizon: 2 }) }), 5_000);
    expect(imported.model).toMatchObject({ family: 'lightgbm', mode: 'imported', status: 'active', target: 'return', horizon: 2, featureSet: 'small' });
    expect(imported).toMatchObject({ objective: 'regression', featureCheck: 'names', numFeatures: 8, trees: exported.trees });
    expect(imported.checkedRows).toBeGreaterThan(100);
    expect(imported.model.metrics.imported).toMatchObject({ format: 'lightgbm', origin: 'lightgbm', sha256: imported.fileSha256, file: 'model.txt' });
    expect(imported.model.params.objective).toBe('regression');
    const loaded = loadRegisteredModel(await getModel(store, imported.model.id));
    const { frame } = await completeRows(store, SET);
    const before = modelFromJSON(readRegistryDocument(readModelDocument(await getModel(store, original.id)), original.id).model);
    expect(loaded.model.predict(frame)).toEqual(before.predict(frame));
    expect(loaded.conformal).toBeNull();
    const e = await explainModel(store, imported.model.id, { top: 8 });
    expect(e.sum).toBeCloseTo(e.prediction.raw, 12);
    // a LightGBM random forest imports as the rf family
    const forest = await train(store, home, 'rf', 'return', { num_iterations: 8, num_leaves: 5, min_data_in_leaf: 20 });
    writeFileSync(join(home, 'forest.txt'), (await exportModel(store, forest.id, 'lightgbm')).text);
    const rf = await importModel(store, request(home, join(home, 'forest.txt'), { target: parseTarget('return', { horizon: 3 }) }), 5_500);
    expect(rf.model).toMatchObject({ family: 'rf', mode: 'imported' });
    const forestBefore = modelFromJSON(readRegistryDocument(readModelDocument(await getModel(store, forest.id)), forest.id).model);
    expect(loadRegisteredModel(await getModel(store, rf.model.id)).model.predict(frame)).toEqual(forestBefore.predict(frame));
    // --activate into the original's slot retires it
    const again = await importModel(store, request(home, file, { activate: true }), 6_000);
    expect(again.model.status).toBe('active');
    expect((await getModel(store, original.id)).status).toBe('retired');
    expect(again.model.parentId).toBe(original.id);
    await store.close();
  });

  it('imports Python XGBoost 1.7 models that predict what XGBoost predicted for the same stored rows', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await storeAcme(store);
    const cases = [
      { file: 'xgb-return-small.json', target: 'return', key: 'return', check: 'names' },
      { file: 'xgb-direction-small.json', target: 'direction', key: 'direction', check: 'names' },
      { file: 'xgb-return-nonames.json', target: 'return', key: 'nonames', check: 'count' },
    ] as const;
    for (const [k, c] of cases.entries()) {
      const r = await importModel(store, request(home, fixturePath('models', c.file), { format: 'xgboost', target: parseTarget(c.target, { horizon: k + 1 }) }), 1_000 + k);
      expect(r.featureCheck).toBe(c.check);
      expect(r.model.family).toBe('xgboost');
      for (const row of ORACLE.rows) {
        const e = await explainModel(store, r.model.id, { at: Date.parse(row.timestamp), top: 3 });
        expect(e.barTime).toBe(Date.parse(row.timestamp));
        // XGBoost sums leaves in float32; pulse in float64
        expect(Math.abs(e.modelOutput[0] - row[c.key])).toBeLessThanOrEqual(1e-6 * Math.abs(row[c.key]));
        // the contributions add up in float64; the prediction of an XGBoost import accumulates in float32 as XGBoost does
        expect(Math.abs(e.sum - e.prediction.raw)).toBeLessThan(1e-6 * Math.max(1e-3, Math.abs(e.prediction.raw)));
        expect(Math.abs(e.contributions[0].contribution)).toBeGreaterThan(0);
      }
    }
    await store.close();
  });

  it('refuses a file of another format, a damaged file, other features, an unfitting objective and a symbol without bars', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await storeAcme(store);
    const xgbFile = fixturePath('models', 'xgb-return-small.json');
    const refuse = async (over: Partial<ImportRequest>, pattern: RegExp, type: new (...a: never[]) => Error = ModelFormatError) => {
      let error: unknown;
      try {
        await importModel(store, request(home, xgbFile, over), 1);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(pattern);
    };
    await refuse({ format: 'lightgbm' }, /is an XGBoost JSON model \(use --format xgboost\), not a LightGBM text model/);
    const lgbFile = join(home, 'model.txt');
    const original = await train(store, home, 'lightgbm', 'return', { num_iterations: 10, num_leaves: 5, min_data_in_leaf: 20 });
    const text = (await exportModel(store, original.id, 'lightgbm')).text;
    writeFileSync(lgbFile, text);
    await refuse({ file: lgbFile, format: 'xgboost' }, /is a LightGBM text model \(use --format lightgbm\), not an XGBoost JSON model/);
    writeFileSync(join(home, 'cut.txt'), text.slice(0, Math.floor(text.length / 2)));
    await refuse({ file: join(home, 'cut.txt') }, /cut\.txt: LightGBM model: .*truncated/);
    writeFileSync(join(home, 'empty.json'), '');
    await refuse({ file: join(home, 'empty.json'), format: 'xgboost' }, /is empty/);
    writeFileSync(join(home, 'junk.json'), '{"learner": ');
    await refuse({ file: join(home, 'junk.json'), format: 'xgboost' }, /junk\.json: .*not valid JSON/);
    await refuse({ file: join(home, 'missing.txt') }, /cannot read model file/, UsageError);
    await refuse({ format: 'xgboost', set: OTHER }, /feature 1 of the model is "rsi_14" but feature set "other" has "rsi_7" there/);
    await refuse({ file: lgbFile, set: OTHER }, /feature 1 of the model is "rsi_14"/);
    await refuse({ format: 'xgboost', set: parseFeatureSetSpec({ name: 'three', version: 1, features: ['rsi_14', 'logret_1', 'vol_20'] }) }, /the model has 8 features but feature set "three" has 3/);
    // without names in the file only the count is checked: the same 8-column count of another set passes
    expect((await importModel(store, request(home, fixturePath('models', 'xgb-return-nonames.json'), { format: 'xgboost', set: OTHER }), 2)).featureCheck).toBe('count');
    await refuse({ format: 'xgboost', target: parseTarget('direction', { horizon: 1 }) }, /objective regression does not fit target direction \(binary\)/);
    await refuse({ format: 'xgboost', file: fixturePath('models', 'xgb-direction-small.json') }, /objective binary does not fit target return \(regression\)/);
    await refuse({ format: 'xgboost', symbol: 'NOPE' }, /no 1d bars stored for NOPE/, DataError);
    // a classifier's raw log-odds (binary:logitraw) is not a return forecast
    const logitraw = JSON.parse(readFileSync(fixturePath('models', 'xgb-direction-small.json'), 'utf8'));
    logitraw.learner.objective.name = 'binary:logitraw';
    writeFileSync(join(home, 'logitraw.json'), JSON.stringify(logitraw));
    await refuse({ format: 'xgboost', file: join(home, 'logitraw.json') }, /objective binary:logitraw does not fit target return/);
    await store.close();
  });

  describe.skipIf(!HAS_SHARED)('real models from LightGBM and XGBoost', () => {
    it('refuses real models whose features or objective do not fit the slot, naming the mismatch', async () => {
      const home = tempHome();
      const store = await openStore(home);
      await storeAcme(store);
      await expect(importModel(store, request(home, sharedPath('data', 'gbdt-models', 'lgb-regression-housing', 'RegressionHousing.txt')), 1))
        .rejects.toThrow(/the model has \d+ features but feature set "small" has 8/);
      await expect(importModel(store, request(home, sharedPath('data', 'gbdt-models', 'xgb-json-1.7.2-binary-logistic-auditna', 'BinomialClassificationAuditNA.json'), { format: 'xgboost' }), 1))
        .rejects.toThrow(/objective binary does not fit target return/);
      await store.close();
    });
  });
});
