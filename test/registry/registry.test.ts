import { existsSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, UsageError } from '../../src/core/errors.js';
import { activateModel, activeModel, getModel, listModels, readModelDocument, registerModel, removeModel, slotOf, type RegisterInput } from '../../src/registry/registry.js';
import { createJob, failOrphanedJobs, finishJob, getJob, startJob } from '../../src/store/models-repo.js';
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

  it('makes the first model of a slot active and later ones shadow, numbering readable ids with lineage', () => {
    const home = tempHome();
    const store = openStore(home);
    const a = registerModel(store, base, 100);
    expect(a).toMatchObject({ id: 'lgbm-AAPL-1d-v1', status: 'active', version: 1, parentId: null, slot: 'AAPL|1d|return|h1' });
    const b = registerModel(store, { ...base, document: '{"model":2}' }, 200);
    expect(b).toMatchObject({ id: 'lgbm-AAPL-1d-v2', status: 'shadow', version: 2, parentId: a.id });
    const other = registerModel(store, { ...base, target: 'direction', horizon: 5 }, 300);
    expect(other.status).toBe('active'); // another slot
    expect(other.id).toBe('lgbm-AAPL-1d-v3');
    expect(activeModel(store, slotOf(base))?.id).toBe(a.id);
    expect(readModelDocument(b)).toBe('{"model":2}');
    expect(b.fileSize).toBe(11);
    expect(listModels(store, { status: 'shadow' }).map((m) => m.id)).toEqual([b.id]);
    store.close();
  });

  it('keeps at most one active model per slot: --activate retires the previous, and the store refuses a second', () => {
    const home = tempHome();
    const store = openStore(home);
    const a = registerModel(store, base, 1);
    const b = registerModel(store, { ...base, activate: true }, 2);
    expect(b.status).toBe('active');
    expect(getModel(store, a.id).status).toBe('retired');
    expect(activateModel(store, a.id, 3)).toEqual({ activated: a.id, retired: b.id });
    expect(() => store.db.prepare("UPDATE models SET status = 'active' WHERE id = ?").run(b.id)).toThrow(/UNIQUE/);
    store.close();
  });

  it('verifies checksums: a modified or missing file is a ModelFormatError', () => {
    const home = tempHome();
    const store = openStore(home);
    const m = registerModel(store, base, 1);
    writeFileSync(m.file, '{"model":666}');
    expect(() => readModelDocument(m)).toThrow(ModelFormatError);
    expect(() => readModelDocument(m)).toThrow(/checksum/);
    rmSync(m.file);
    expect(() => readModelDocument(m)).toThrow(/missing/);
    store.close();
  });

  it('never leaves a half-registered model: a failed insert removes the file', () => {
    const home = tempHome();
    const store = openStore(home);
    expect(() => registerModel(store, { ...base, seed: null as unknown as number }, 1)).toThrow();
    expect(listModels(store)).toEqual([]);
    expect(readdirSync(join(home, 'models')).filter((f) => !f.startsWith('.'))).toEqual([]);
    store.close();
  });

  it('refuses to remove the active model without force', () => {
    const home = tempHome();
    const store = openStore(home);
    const a = registerModel(store, base, 1);
    expect(() => removeModel(store, a.id)).toThrow(UsageError);
    removeModel(store, a.id, { force: true });
    expect(existsSync(a.file)).toBe(false);
    expect(() => getModel(store, a.id)).toThrow(/no model/);
    store.close();
  });

  it('records jobs and fails those left behind by a dead process', () => {
    const store = openStore(tempHome());
    const done = createJob(store, { trigger: 'manual', request: { symbols: ['A'] }, now: 1 });
    startJob(store, done, 2);
    finishJob(store, done, { status: 'completed', succeeded: 1, failed: 0, now: 5 });
    expect(getJob(store, done)).toMatchObject({ status: 'completed', durationMs: 3, modelsSucceeded: 1 });
    const orphan = createJob(store, { trigger: 'drift', request: {}, now: 6 });
    startJob(store, orphan, 7);
    expect(failOrphanedJobs(store, () => false, 9)).toBe(1);
    expect(getJob(store, orphan)?.status).toBe('failed');
    expect(getJob(store, done)?.status).toBe('completed');
    store.close();
  });
});
