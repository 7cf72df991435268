/**
 * The contract every StudyStorage implementation must pass (the in-memory one now, the store's SQL one later):
 * call `studyStorageContract(() => new SomeStorage())` inside a test file.
 */
import { describe, expect, it } from 'vitest';
import { floatDist } from '../../src/optimize/space.js';
import type { StudyRecord, StudyStorage } from '../../src/optimize/storage.js';

const record: StudyRecord = {
  name: 'contract', direction: 'minimize', seed: 5, sampler: 'tpe', pruner: 'median',
  space: { x: floatDist(0, 1) }, subject: { symbol: 'SPY', model: 'lightgbm' }, createdAt: 1000,
};

export function studyStorageContract(make: () => StudyStorage | Promise<StudyStorage>): void {
  describe('StudyStorage contract', () => {
    it('creates, reads and lists studies; a taken name is refused', async () => {
      const s = await make();
      await s.createStudy(record);
      expect(await s.getStudy('contract')).toEqual(record);
      expect(await s.getStudy('other')).toBeUndefined();
      expect((await s.listStudies()).map((r) => r.name)).toEqual(['contract']);
      await expect(s.createStudy(record)).rejects.toThrow();
    });

    it('numbers trials without gaps or duplicates when many start at once', async () => {
      const s = await make();
      await s.createStudy(record);
      const made = await Promise.all(Array.from({ length: 20 }, (_, i) => s.createTrial('contract', { params: {}, startedAt: i, owner: { pid: 7, startTime: 3 } })));
      expect(made.map((t) => t.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const trials = await s.getTrials('contract');
      expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(trials[0]).toMatchObject({ state: 'running', value: null, intermediate: [], attrs: {}, owner: { pid: 7, startTime: 3 } });
    });

    it('keeps params, intermediate values (one per step, in step order), attrs and the end state', async () => {
      const s = await make();
      await s.createStudy(record);
      await s.createTrial('contract', { params: {}, startedAt: 1, owner: null });
      await s.setTrialParams('contract', 0, { x: 0.25, c: 'a', flag: true, none: null });
      await s.reportIntermediate('contract', 0, 2, 0.5);
      await s.reportIntermediate('contract', 0, 0, 0.9);
      await s.reportIntermediate('contract', 0, 2, 0.4);
      await s.setTrialAttr('contract', 0, 'completed_rung_0', 0.9);
      await s.finishTrial('contract', 0, { state: 'pruned', value: null, finishedAt: 9, failReason: null });
      const t = await s.getTrial('contract', 0);
      expect(t).toMatchObject({
        state: 'pruned', params: { x: 0.25, c: 'a', flag: true, none: null }, finishedAt: 9, owner: null,
        intermediate: [{ step: 0, value: 0.9 }, { step: 2, value: 0.4 }], attrs: { completed_rung_0: 0.9 },
      });
      await expect(s.finishTrial('contract', 0, { state: 'complete', value: 1, finishedAt: 10, failReason: null })).rejects.toThrow();
      await expect(s.reportIntermediate('contract', 0, 3, 1)).rejects.toThrow();
    });

    it('hands out copies: changing a returned trial does not change the stored one', async () => {
      const s = await make();
      await s.createStudy(record);
      await s.createTrial('contract', { params: { x: 0.5 }, startedAt: 1, owner: null });
      const t = await s.getTrial('contract', 0);
      (t.params as Record<string, unknown>).x = 0.9;
      expect((await s.getTrial('contract', 0)).params.x).toBe(0.5);
    });
  });
}
