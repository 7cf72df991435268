import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENSEMBLE_PARAMS } from '../../src/models/ensemble.js';
import { renderGbdtDefaults } from '../../src/models/gbdt-model.js';
import { LOGISTIC_PARAMS } from '../../src/models/logistic.js';
import { renderParamTable } from '../../src/models/model-params.js';
import { MODEL_FAMILIES } from '../../src/models/model.js';
import { NAIVE_PARAMS } from '../../src/models/naive.js';
import { RIDGE_PARAMS } from '../../src/models/ridge.js';
import { fixturePath } from '../helpers/shared.js';

describe('docs/models.md', () => {
  const doc = readFileSync(fixturePath('..', '..', 'docs', 'models.md'), 'utf8');

  it('holds the current generated parameter tables', () => {
    expect(doc).toContain(renderGbdtDefaults());
    for (const table of [RIDGE_PARAMS, LOGISTIC_PARAMS, NAIVE_PARAMS, ENSEMBLE_PARAMS]) expect(doc).toContain(renderParamTable(table));
  });

  it('documents every family', () => {
    for (const family of MODEL_FAMILIES) expect(doc).toContain(`| \`${family}\` |`);
  });
});
