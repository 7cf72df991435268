import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../src/core/errors.js';
import { detectModelFormat, parseModel, readModelFile, serializeModel, writeModelFile } from '../../../src/gbdt/format/model-file.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { fixturePath, HAS_SHARED, sharedPath } from '../../helpers/shared.js';
import { loadFixture } from './xgb-fixtures.js';

const bytesOf = (s: string) => new TextEncoder().encode(s);
const dir = mkdtempSync(join(tmpdir(), 'pulse-model-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model files', () => {
  it('detects each format from the content', () => {
    expect(detectModelFormat(readFileSync(fixturePath('gbdt', 'lgb-hand.txt')))).toBe('lightgbm-text');
    expect(detectModelFormat(readFileSync(fixturePath('gbdt', 'xgb-binary.model.json')))).toBe('xgboost-json');
    expect(detectModelFormat(readFileSync(fixturePath('gbdt', 'pulse-model-v1.golden.json')))).toBe('pulse-json');
    expect(detectModelFormat(bytesOf('hello'))).toBeNull();
  });

  it('writes atomically and reads back any writable format with the same predictions', () => {
    const { model, oracle, X } = loadFixture('xgb-binary');
    for (const format of ['pulse-json', 'lightgbm-text'] as const) {
      const path = join(dir, `m-${format}`);
      writeModelFile(model, path, format);
      const again = readModelFile(path);
      const a = predictBatchSync(model, X, oracle.rows, { raw: true });
      const b = predictBatchSync(again, X, oracle.rows, { raw: true });
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(format === 'pulse-json' ? 1e-300 : 1e-5);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(serializeModel(model)).toBe(readFileSync(join(dir, 'm-pulse-json'), 'utf8'));
  });

  const refused: [string, Uint8Array, RegExp][] = [
    ['empty file', new Uint8Array(0), /is empty/],
    ['garbage', bytesOf('PK\u0003\u0004 zip archive'), /not a model pulse can read/],
    ['XGBoost UBJSON', Uint8Array.of(0x7b, 0x4c, 0, 0, 0, 0, 0, 0, 0, 7, 0x6c, 0x65), /UBJSON/],
    ['LightGBM dump_model JSON', bytesOf('{\n "name": "tree",\n "version": "v2"}'), /dump_model\(\) JSON/],
    ['truncated XGBoost JSON', readFileSync(fixturePath('gbdt', 'xgb-binary.model.json')).subarray(0, 3000), /not valid JSON.*truncated/],
  ];
  for (const [name, bytes, message] of refused) {
    it(`refuses ${name} with a ModelFormatError`, () => {
      expect(() => parseModel(bytes, 'x.model')).toThrow(ModelFormatError);
      expect(() => parseModel(bytes, 'x.model')).toThrow(message);
    });
  }

  it('names the file in errors, including a missing one', () => {
    expect(() => readModelFile(join(dir, 'nope.json'))).toThrow(/cannot read model file .*nope.json/);
    expect(() => parseModel(bytesOf('tree\nversion=v4\n'), 'bad.txt')).toThrow(/^bad.txt: LightGBM model: the header has no num_class/);
  });

  it.skipIf(!HAS_SHARED)('reads every ../shared model file through detection', () => {
    const files = [
      'lgb-regression-housing/RegressionHousing.txt',
      'lgb-multiclass/lgmulticlass.model',
      'xgb-json-3.4.1-regression-categorical-autona/LinearRegressionAutoNA.json',
      'xgb-binary-model-agaricus/xgagaricus.model',
    ];
    expect(files.map((f) => readModelFile(sharedPath('data', 'gbdt-models', f)).origin)).toEqual(['lightgbm', 'lightgbm', 'xgboost', 'xgboost']);
  });
});
