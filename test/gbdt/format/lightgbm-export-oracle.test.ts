import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeLightGbmText } from '../../../src/gbdt/format/lightgbm-text.js';
import { readPulseModel } from '../../../src/gbdt/format/pulse-json.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';

/**
 * Real LightGBM (4.7) loaded pulse's LightGBM text exports and recorded its predictions
 * (scripts/make-lightgbm-export-fixtures.mjs, scripts/lightgbm-export-oracle.py). pulse must still write exactly
 * the files LightGBM loaded, and LightGBM's predictions must be pulse's own.
 */
const DIR = new URL('../../fixtures/gbdt/lgb-export/', import.meta.url);
const CASES = ['regression', 'binary', 'multiclass', 'depthwise', 'forest', 'huber-l1'];

describe('LightGBM text export, loaded by real LightGBM', () => {
  it.each(CASES)('%s: LightGBM predicts what pulse predicts, from the file pulse writes', (name) => {
    const model = readPulseModel(readFileSync(new URL(`${name}.pulse.json`, DIR), 'utf8'));
    const exported = readFileSync(new URL(`${name}.txt`, DIR), 'utf8');
    expect(writeLightGbmText(model)).toBe(exported);
    const rows = JSON.parse(readFileSync(new URL(`${name}.rows.json`, DIR), 'utf8')) as (number | null)[][];
    const oracle = JSON.parse(readFileSync(new URL(`${name}.oracle.json`, DIR), 'utf8')) as { raw: number[]; predictions: number[]; num_trees: number };
    expect(oracle.num_trees).toBe(model.ensemble.trees.length);
    const X = Float64Array.from(rows.flat(), (v) => (v === null ? NaN : v));
    const raw = predictBatchSync(model, X, rows.length, { raw: true });
    const pred = predictBatchSync(model, X, rows.length);
    expect(raw.length).toBe(oracle.raw.length);
    // LightGBM's raw_score of an average_output (random forest) model is the sum of the trees, not their mean
    const iterations = model.ensemble.trees.length / model.ensemble.numTreePerIteration;
    const lightgbmRaw = model.ensemble.averageOutput ? Array.from(raw, (v) => v * iterations) : Array.from(raw);
    lightgbmRaw.forEach((v, i) => expect(Math.abs(v - oracle.raw[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
    pred.forEach((v, i) => expect(Math.abs(v - oracle.predictions[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
  });
});
