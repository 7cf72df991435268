/**
 * One owner per concept, checked on the sources: model families are known by their traits outside src/models (no
 * switch on a family's name), and only src/lifecycle/document.ts knows the registry document's format marker.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_FAMILIES } from '../../src/models/model.js';
import { sourceFiles } from './import-graph.js';

const ROOT = join(import.meta.dirname, '..', '..');
const text = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const files = sourceFiles(ROOT, ['src', 'commands']);

describe('architecture: one owner per concept', () => {
  it('outside src/models no code switches on a family name or lists families', () => {
    const families = MODEL_FAMILIES.join('|');
    const patterns = [
      new RegExp(`family\\s*[!=]==?\\s*'(${families})'`),
      new RegExp(`case\\s+'(${families})'\\s*:`),
      new RegExp(`'(${families})'\\s*,\\s*'(${families})'`),
      /switch\s*\([^)]*family[^)]*\)/,
    ];
    // src/gbdt's engine modes (lightgbm, xgboost, rf) are the engine's own, not model families, and a list of file
    // formats (`..._FORMATS`, e.g. LightGBM and XGBoost model files) names formats, not families.
    const found = files
      .filter((f) => !f.startsWith('src/models/') && !f.startsWith('src/gbdt/'))
      .filter((f) => text(f).split('\n').some((line) => !/_FORMATS\b/.test(line) && patterns.some((p) => p.test(line))));
    expect(found).toEqual([]);
  });

  it("only src/lifecycle/document.ts knows the registry document's format marker", () => {
    const found = files.filter((f) => f !== 'src/lifecycle/document.ts' && text(f).includes("'pulse-registry-model'"));
    expect(found).toEqual([]);
  });
});
