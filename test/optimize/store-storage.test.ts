/** The store's StudyStorage passes the same contract as the in-memory one, and numbers trials across processes. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { floatDist } from '../../src/optimize/space.js';
import { storeStudyStorage } from '../../src/optimize/store-storage.js';
import { openStore, type Store } from '../../src/store/store.js';
import { HAS_BUILD } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { useTempHome } from '../helpers/home.js';
import { studyStorageContract } from './storage-contract.js';

const tempHome = useTempHome();
const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

studyStorageContract(async () => {
  const store = await openStore(tempHome());
  open.push(store);
  return storeStudyStorage(store);
});

describe.skipIf(!HAS_BUILD)('store study storage across processes', () => {
  it('numbers trials started by four processes at once without gaps or duplicates', async () => {
    const home = tempHome();
    const store = await openStore(home);
    open.push(store);
    const storage = storeStudyStorage(store);
    await storage.createStudy({ name: 's', direction: 'minimize', seed: 1, sampler: 'random', pruner: 'none', space: { x: floatDist(0, 1) }, subject: {}, createdAt: 1 });
    const script = `
      const { openStore } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/src/store/store.js'))});
      const { storeStudyStorage } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/src/optimize/store-storage.js'))});
      const store = await openStore(process.argv[1]);
      const s = storeStudyStorage(store);
      for (let i = 0; i < 25; i++) await s.createTrial('s', { params: {}, startedAt: i, owner: { pid: process.pid, startTime: null } });
      await store.close();`;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => new Promise<number>((resolve) => {
        spawn(process.execPath, ['--input-type=module', '-e', script, home], { stdio: 'inherit' }).on('close', (code) => resolve(code ?? -1));
      })),
    );
    expect(runs).toEqual([0, 0, 0, 0]);
    const numbers = (await storage.getTrials('s')).map((t) => t.number);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
