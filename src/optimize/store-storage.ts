/**
 * The {@link StudyStorage} of a pulse home: studies and trials in the store (tables `studies`, `trials`,
 * `trial_intermediate`), so a study resumes by name after Ctrl-C or `kill -9`, and several processes can run trials
 * of one study (the store numbers trials atomically).
 */
import { DataError, UsageError } from '../core/errors.js';
import type { StudyRow, TrialRow } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { PrunerName } from './pruner.js';
import type { SamplerName } from './sampler.js';
import type { Params, SearchSpace } from './space.js';
import type { StoredTrial, StudyRecord, StudyStorage, TrialEnd, TrialOwner } from './storage.js';
import type { Direction, TrialState } from './trial.js';

function toRecord(row: StudyRow): StudyRecord {
  return {
    name: row.name,
    direction: row.direction as Direction,
    seed: row.seed,
    sampler: row.sampler as SamplerName,
    pruner: row.pruner as PrunerName | 'none',
    space: row.space as SearchSpace,
    subject: row.subject,
    createdAt: row.createdAt,
  };
}

function toTrial(row: TrialRow): StoredTrial {
  return {
    number: row.number,
    state: row.state as TrialState,
    params: row.params as Params,
    value: row.value,
    intermediate: row.intermediate,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    failReason: row.failReason,
    attrs: row.attrs,
    owner: row.ownerPid === null ? null : { pid: row.ownerPid, startTime: row.ownerStartTime },
  };
}

/** Studies in `store` (see the module note). */
export function storeStudyStorage(store: Store): StudyStorage {
  const { studies } = store;
  const notRunning = (study: string, number: number) =>
    new DataError(`trial ${number} of study ${study} is not running`, 'a finished trial cannot change; start a new trial');
  const must = async (ok: Promise<boolean>, study: string, number: number) => {
    if (!(await ok)) throw notRunning(study, number);
  };
  return {
    async createStudy(study: StudyRecord) {
      if (!(await studies.create({ ...study, subject: { ...study.subject } }))) {
        throw new UsageError(`a study named ${JSON.stringify(study.name)} exists`, 'resume it by its name, or choose another --study name');
      }
    },
    getStudy: async (name) => {
      const row = await studies.get(name);
      return row ? toRecord(row) : undefined;
    },
    listStudies: async () => (await studies.list()).map(toRecord),
    async createTrial(study: string, init: { params: Params; startedAt: number; owner: TrialOwner | null }) {
      const number = await studies.startTrial(study, { params: init.params, startedAt: init.startedAt, ownerPid: init.owner?.pid ?? null, ownerStartTime: init.owner?.startTime ?? null });
      return toTrial((await studies.trial(study, number))!);
    },
    setTrialParams: (study, number, params) => must(studies.updateTrial(study, number, { params }), study, number),
    reportIntermediate: (study, number, step, value) => must(studies.reportIntermediate(study, number, step, value), study, number),
    async setTrialAttr(study, number, key, value) {
      const trial = await studies.trial(study, number);
      if (!trial || trial.state !== 'running') throw notRunning(study, number);
      await must(studies.updateTrial(study, number, { attrs: { ...trial.attrs, [key]: value } }), study, number);
    },
    finishTrial: (study, number, end: TrialEnd) => must(studies.finishTrial(study, number, end), study, number),
    getTrials: async (study) => (await studies.trials(study)).map(toTrial),
    async getTrial(study, number) {
      const row = await studies.trial(study, number);
      if (!row) throw new DataError(`study ${study} has no trial ${number}`, 'list the study\'s trials with pulse optimize show');
      return toTrial(row);
    },
  };
}
