import { existsSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, UsageError } from '../../src/core/errors.js';
import { activateModel, activeModel, getModel, listModels, readModelDocument, registerModel, removeModel, slotOf, type RegisterInput } from '../../src/registry/registry.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

const base: RegisterInput = {
  family: 'lightgbm',
  mode: 'lightgbm',
  symbols: ['AAPL'],
  interval: '1d',
  target: 'return',
  horizon: 1,
  params: { learning_rate: 0.05 },
  seed: 7,
  featureSet: { name: 'default', hash: 'abc', names: ['rsi_14', 'vol_20'] },
  trainFrom: 1,
  trainTo: 2,
  dataHash: 'd',
  metrics: { test: { rmse: 0.01 } },
  trainDurationMs: 5,
  engineVersion: '1.0.0',
  document: '{"model":1}',
};

describe('model registry', () => {
  const tempHome = useTempHome();

  it('makes the first model of a slot active and later ones shadow, numbering readable ids with lineage', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const a = await registerModel(store, base, 100);
    expect(a).toMatchObject({ id: 'lgbm-AAPL-1d-v1', status: 'active', version: 1, parentId: null, slot: 'AAPL|1d|return|h1' });
    const b = await registerModel(store, { ...base, document: '{"model":2}' }, 200);
    expect(b).toMatchObject({ id: 'lgbm-AAPL-1d-v2', status: 'shadow', version: 2, parentId: a.id });
    const other = await registerModel(store, { ...base, target: 'direction', horizon: 5 }, 300);
    expect(other.status).toBe('active'); // another slot
    expect(other.id).toBe('lgbm-AAPL-1d-v3');
    expect((await activeModel(store, slotOf(base)))?.id).toBe(a.id);
    expect(readModelDocument(b)).toBe('{"model":2}');
    expect(b.fileSize).toBe(11);
    expect((await listModels(store, { status: 'shadow' })).map((m) => m.id)).toEqual([b.id]);
    await store.close();
  });

  it('registers a tuned model as shadow even in an empty slot, with its study in the lineage', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const tuned = await registerModel(store, { ...base, shadow: true, study: 'aapl-lgbm' }, 100);
    expect(tuned).toMatchObject({ status: 'shadow', study: 'aapl-lgbm', parentId: null });
    expect(await activeModel(store, slotOf(base))).toBeUndefined();
    const plain = await registerModel(store, base, 200);
    expect(plain).toMatchObject({ status: 'active', study: null });
    expect((await getModel(store, tuned.id)).study).toBe('aapl-lgbm');
    await store.close();
  });

  it('keeps at most one active model per slot: --activate retires the previous, and the store refuses a second', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const a = await registerModel(store, base, 1);
    const b = await registerModel(store, { ...base, activate: true }, 2);
    expect(b.status).toBe('active');
    expect((await getModel(store, a.id)).status).toBe('retired');
    expect(await activateModel(store, a.id, 3)).toEqual({ activated: a.id, retired: b.id });
    await expect(store.models.setStatus(b.id, 'active', 4)).rejects.toThrow(/UNIQUE/);
    await store.close();
  });

  it('verifies checksums: a modified or missing file is a ModelFormatError', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const m = await registerModel(store, base, 1);
    writeFileSync(m.file, '{"model":666}');
    expect(() => readModelDocument(m)).toThrow(ModelFormatError);
    expect(() => readModelDocument(m)).toThrow(/checksum/);
    rmSync(m.file);
    expect(() => readModelDocument(m)).toThrow(/missing/);
    await store.close();
  });

  it('never leaves a half-registered model: a failed insert removes the file', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await expect(registerModel(store, { ...base, seed: null as unknown as number }, 1)).rejects.toThrow();
    expect(await listModels(store)).toEqual([]);
    expect(readdirSync(join(home, 'models')).filter((f) => !f.startsWith('.'))).toEqual([]);
    await store.close();
  });

  it('refuses to remove the active model without force', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const a = await registerModel(store, base, 1);
    await expect(removeModel(store, a.id)).rejects.toThrow(UsageError);
    await removeModel(store, a.id, { force: true });
    expect(existsSync(a.file)).toBe(false);
    await expect(getModel(store, a.id)).rejects.toThrow(/no model/);
    await store.close();
  });

});
