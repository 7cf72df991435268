import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { parseLightGbmText } from '../../../src/gbdt/format/lightgbm-text.js';
import { PULSE_FORMAT_VERSION, readPulseModel, writePulseModel } from '../../../src/gbdt/format/pulse-json.js';
import type { GbdtModel } from '../../../src/gbdt/model.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { fixturePath } from '../../helpers/shared.js';
import { randomModel } from '../random-model.js';
import { FIXTURES, loadFixture } from './xgb-fixtures.js';

const GOLDEN = fixturePath('gbdt', 'pulse-model-v1.golden.json');

function handModel(): GbdtModel {
  const model = parseLightGbmText(readFileSync(fixturePath('gbdt', 'lgb-hand.txt'), 'utf8'));
  return { ...model, origin: 'pulse', seed: 3, bestIteration: 2, dataHash: 'ab'.repeat(32) };
}

/** Re-serialise a parsed document with a change but a correct checksum, to test the field checks behind it. */
// biome-ignore lint: test documents are edited freely
function resign(text: string, edit: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(text);
  edit(doc);
  delete doc.checksum;
  doc.checksum = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
  return JSON.stringify(doc);
}

describe('pulse JSON model format', () => {
  it('matches the committed golden file byte for byte, and the golden file predicts the hand-checked values', () => {
    const text = writePulseModel(handModel());
    if (process.env.PULSE_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
    const model = readPulseModel(readFileSync(GOLDEN, 'utf8'));
    const raw = predictBatchSync(model, Float64Array.of(1, 0, 3, NaN, 2, 2), 2, { raw: true });
    expect(raw[0]).toBeCloseTo(-0.3, 15);
    expect(raw[1]).toBeCloseTo(0.7, 15);
    expect(model).toMatchObject({ origin: 'pulse', seed: 3, bestIteration: 2, dataHash: 'ab'.repeat(32), featureNames: ['ret_1d', 'volume_z', 'sector'] });
  });

  it('round-trips every model field and gives identical predictions (pulse, LightGBM and XGBoost models)', () => {
    const rng = new Rng(8);
    const models: GbdtModel[] = [handModel(), randomModel(rng, { numFeatures: 6, numTrees: 12, k: 3, categorical: true })];
    for (const name of FIXTURES) models.push(loadFixture(name).model);
    for (const model of models) {
      const again = readPulseModel(writePulseModel(model));
      expect(again).toEqual(model);
      const nf = model.ensemble.numFeatures;
      const X = Float64Array.from({ length: 50 * nf }, () => (rng.next() < 0.1 ? NaN : Math.round((rng.next() - 0.3) * 6)));
      expect(Array.from(predictBatchSync(again, X, 50))).toEqual(Array.from(predictBatchSync(model, X, 50)));
    }
  });

  it('refuses to write a parameter JSON cannot hold', () => {
    const model = handModel();
    expect(() => writePulseModel({ ...model, params: { ...model.params, max_depth: Infinity } })).toThrow(/max_depth = Infinity is not a finite number/);
  });

  it('keeps infinite thresholds through JSON', () => {
    const model = handModel();
    model.ensemble.trees[0].threshold[0] = Infinity;
    expect(readPulseModel(writePulseModel(model)).ensemble.trees[0].threshold[0]).toBe(Infinity);
  });

  const text = writePulseModel(handModel());
  const bad: [string, string, RegExp][] = [
    ['truncated', text.slice(0, Math.floor(text.length * 0.7)), /not valid JSON.*truncated or corrupted/],
    ['empty object', '{}', /format = undefined, expected "pulse-gbdt"/],
    ['another format', '{"learner": {}}', /this is not a pulse model file/],
    ['hand-edited leaf value', text.replace('0.5', '0.6'), /checksum does not match/],
    ['newer format version', resign(text, (d) => (d.formatVersion = PULSE_FORMAT_VERSION + 1)), /formatVersion 3 is newer/],
    ['NaN leaf value', resign(text, (d) => (d.ensemble.trees[1].leafValue[0] = 'NaN')), /ensemble.trees\[1\]: leafValue\[0\] = NaN is not a finite number/],
    ['child index out of range', resign(text, (d) => (d.ensemble.trees[0].leftChild[0] = 5)), /ensemble.trees\[0\]: leftChild\[0\] = 5 is out of range/],
    ['unknown objective', resign(text, (d) => (d.objective.name = 'lambdarank')), /objective.name = "lambdarank" is not a known objective/],
    ['missing field', resign(text, (d) => delete d.featureNames), /featureNames must be an array of strings|featureNames is missing/],
    ['unknown field', resign(text, (d) => (d.extra = 1)), /unknown field 'extra'/],
    ['wrong type', resign(text, (d) => (d.ensemble.trees[0].decision[0] = 'x')), /ensemble.trees\[0\].decision\[0\] = "x" is not a number/],
    ['feature names mismatch', resign(text, (d) => d.featureNames.pop()), /featureNames has 2 names but ensemble.numFeatures = 3/],
    ['cycle in a tree', resign(text, (d) => (d.ensemble.trees[0].leftChild[1] = 1)), /node 1 has two parents|out of range/],
    ['bad data hash', resign(text, (d) => (d.dataHash = 'xyz')), /dataHash must be a sha256 hex string/],
    ['best iteration too large', resign(text, (d) => (d.bestIteration = 9)), /bestIteration = 9 exceeds the 2 iterations/],
  ];
  for (const [name, input, message] of bad) {
    it(`refuses a bad file: ${name}`, () => {
      expect(() => readPulseModel(input)).toThrow(ModelFormatError);
      expect(() => readPulseModel(input)).toThrow(message);
    });
  }
});
