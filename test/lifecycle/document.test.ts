/**
 * The registry model document: one writer, one strict reader whose errors name the field, version migration, and
 * the loader every command uses refusing what the old loose reader of `pulse predict` accepted.
 */
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/core/errors.js';
import { parseFeatureSetSpec } from '../../src/features/feature-set.js';
import { createModel } from '../../src/models/registry.js';
import {
  migrateRegistryDocument,
  readRegistryDocument,
  registryDocument,
  REGISTRY_MODEL_VERSION,
  writeRegistryDocument,
  type RegistryModelDocument,
} from '../../src/lifecycle/document.js';
import { loadRegisteredModel } from '../../src/lifecycle/load.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { registerModel } from '../../src/registry/registry.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

const SET = parseFeatureSetSpec({ name: 'tiny', version: 1, features: ['logret_1', 'vol_20'] });

async function naiveDocument(): Promise<RegistryModelDocument> {
  const model = createModel('naive', { task: 'regression', numClass: 1 });
  const names = ['logret_1', 'vol_20'];
  await model.fit({ columns: [Float64Array.of(1, 2, 3), Float64Array.of(0, 0, 0)], names, numRows: 3 }, Float64Array.of(0.1, -0.2, 0.3), { seed: 1 });
  return registryDocument({
    symbols: ['ACME'],
    interval: '1d',
    target: parseTarget('return', { horizon: 1 }),
    task: 'regression',
    classValues: [],
    featureSet: { spec: SET, names, references: {} },
    pooledSymbols: null,
    conformal: { calibrationRows: 40, levels: [{ coverage: 0.8, halfWidth: 0.02, testCoverage: 0.75 }, { coverage: 0.99, halfWidth: Infinity, testCoverage: NaN }] },
    model: model.toJSON(),
  });
}

/** The document's JSON with `edit` applied to the parsed object. */
function edited(doc: RegistryModelDocument, edit: (d: Record<string, any>) => void): string {
  const d = JSON.parse(writeRegistryDocument(doc)) as Record<string, any>;
  edit(d);
  return JSON.stringify(d);
}

describe('registry model document', () => {
  const tempHome = useTempHome();

  it('reads back what the writer wrote, infinite half-widths and unknown coverages included', async () => {
    const doc = await naiveDocument();
    const back = readRegistryDocument(writeRegistryDocument(doc), 'm1');
    expect(back).toEqual(doc);
    expect(back.conformal?.levels[1].halfWidth).toBe(Infinity);
    expect(back.formatVersion).toBe(REGISTRY_MODEL_VERSION);
  });

  it.each([
    ['classValues missing', (d: Record<string, any>) => delete d.classValues, /field classValues must be an array of numbers/],
    ['references missing', (d: Record<string, any>) => delete d.featureSet.references, /field featureSet\.references must map/],
    ['target without horizon', (d: Record<string, any>) => delete d.target.horizon, /field target\.horizon must be a whole number/],
    ['task that is not the target\'s', (d: Record<string, any>) => (d.task = 'binary'), /field task is binary, but target return is learnt as regression/],
    ['interval that is not one', (d: Record<string, any>) => (d.interval = '2d'), /field interval is not an interval/],
    ['conformal level without a half-width', (d: Record<string, any>) => delete d.conformal.levels[0].halfWidth, /field conformal\.levels\[0\] must hold/],
    ['pooled model without symbol_id', (d: Record<string, any>) => (d.pooledSymbols = ['ACME', 'BETA']), /field featureSet\.names of a pooled model must end with symbol_id/],
    ['wrong format marker', (d: Record<string, any>) => (d.format = 'pulse-model'), /field format must be "pulse-registry-model"/],
  ])('refuses a document with %s, naming the field', async (_, edit, message) => {
    const text = edited(await naiveDocument(), edit);
    expect(() => readRegistryDocument(text, 'm1')).toThrow(ModelFormatError);
    expect(() => readRegistryDocument(text, 'm1')).toThrow(message);
  });

  it('migrates version 1 and refuses a newer version, or a version that is not a positive integer', async () => {
    const doc = await naiveDocument();
    const v1 = JSON.parse(writeRegistryDocument(doc)) as Record<string, unknown>;
    expect(migrateRegistryDocument(v1, 'm1')).toEqual(v1);
    const newer = edited(doc, (d) => (d.formatVersion = REGISTRY_MODEL_VERSION + 1));
    expect(() => readRegistryDocument(newer, 'm1')).toThrow(/registry document version 2 is newer than this pulse reads \(1\)/);
    expect(() => readRegistryDocument(edited(doc, (d) => (d.formatVersion = '1')), 'm1')).toThrow(/field formatVersion must be a positive integer, got "1"/);
    expect(() => readRegistryDocument(edited(doc, (d) => delete d.formatVersion), 'm1')).toThrow(/field formatVersion/);
  });

  it('loads a registered model only through the strict reader: a document the old loose reader took is refused', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const doc = await naiveDocument();
    const input = {
      family: 'naive', mode: 'naive', symbols: ['ACME'], interval: '1d' as const, target: 'return', horizon: 1, params: {}, seed: 1,
      featureSet: { name: SET.name, hash: doc.featureSet.hash, names: doc.featureSet.names }, trainFrom: 1, trainTo: 2, dataHash: 'd',
      metrics: {}, trainDurationMs: 0, engineVersion: 'test',
    };
    const good = await registerModel(store, { ...input, document: writeRegistryDocument(doc) }, 10);
    expect(loadRegisteredModel(good).model.family).toBe('naive');
    // classValues and the references used to default to [] and {} when absent
    const loose = await registerModel(store, { ...input, document: edited(doc, (d) => { delete d.classValues; delete d.featureSet.references; }) }, 20);
    expect(() => loadRegisteredModel(loose)).toThrow(new RegExp(`model ${loose.id}: registry document field classValues`));
    await store.close();
  });
});
