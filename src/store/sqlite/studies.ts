/** Hyperparameter studies and trials, and walk-forward optimisations, on SQLite. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { StudyRow, TrialRow, WalkForwardRow, WalkForwardWindowRow } from '../records.js';
import type { StudiesRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { studies, trialIntermediate, trials, walkForwards, walkForwardWindows } from './schema.js';

type StudyDb = typeof studies.$inferSelect;
type TrialDb = typeof trials.$inferSelect;
type WalkForwardDb = typeof walkForwards.$inferSelect;
type WindowDb = typeof walkForwardWindows.$inferSelect;

const toWalkForward = (r: WalkForwardDb): WalkForwardRow => ({ ...r, settings: JSON.parse(r.settings) as Record<string, unknown> });
const toWindow = (r: WindowDb): WalkForwardWindowRow => ({ ...r, bestParams: JSON.parse(r.bestParams) as Record<string, unknown> });

const toStudy = (r: StudyDb): StudyRow => ({ ...r, space: JSON.parse(r.space) as unknown, subject: JSON.parse(r.subject) as Record<string, string> });

function toTrial(r: TrialDb, intermediate: { step: number; value: number }[]): TrialRow {
  return { ...r, params: JSON.parse(r.params) as Record<string, unknown>, attrs: JSON.parse(r.attrs) as Record<string, number>, intermediate };
}

export function sqliteStudies(ctx: SqliteContext): StudiesRepository {
  const { orm, exec } = ctx;
  const running = (study: string, number: number) => and(eq(trials.study, study), eq(trials.number, number), eq(trials.state, 'running'));
  const isRunning = (study: string, number: number) => orm.select({ n: trials.number }).from(trials).where(running(study, number)).get() !== undefined;
  const intermediateOf = (study: string, number?: number) =>
    orm
      .select()
      .from(trialIntermediate)
      .where(and(eq(trialIntermediate.study, study), number === undefined ? undefined : eq(trialIntermediate.number, number)))
      .orderBy(asc(trialIntermediate.number), asc(trialIntermediate.step))
      .all();
  return {
    create: (study) =>
      exec(() => {
        const row = { ...study, space: JSON.stringify(study.space), subject: JSON.stringify(study.subject) };
        return orm.insert(studies).values(row).onConflictDoNothing().run().changes === 1;
      }),
    get: (name) =>
      exec(() => {
        const row = orm.select().from(studies).where(eq(studies.name, name)).get();
        return row ? toStudy(row) : undefined;
      }),
    list: () => exec(() => orm.select().from(studies).orderBy(asc(studies.createdAt), asc(studies.name)).all().map(toStudy)),
    startTrial: (study, init) =>
      exec(() => {
        // One statement: the next number and the insert happen under SQLite's write lock, so concurrent
        // processes can never take the same number or leave a gap.
        const row = orm.get<{ number: number }>(sql`
          INSERT INTO ${trials} (study, number, state, params, value, started_at, finished_at, fail_reason, attrs, owner_pid, owner_start_time)
          SELECT ${study}, coalesce(max(number) + 1, 0), 'running', ${JSON.stringify(init.params)}, NULL, ${init.startedAt}, NULL, NULL, '{}', ${init.ownerPid}, ${init.ownerStartTime}
          FROM ${trials} WHERE study = ${study}
          RETURNING number`);
        return row.number;
      }),
    updateTrial: (study, number, patch) =>
      exec(() => {
        const set: Partial<TrialDb> = {};
        if (patch.params) set.params = JSON.stringify(patch.params);
        if (patch.attrs) set.attrs = JSON.stringify(patch.attrs);
        if (Object.keys(set).length === 0) return isRunning(study, number);
        return orm.update(trials).set(set).where(running(study, number)).run().changes === 1;
      }),
    reportIntermediate: (study, number, step, value) =>
      exec(() => {
        if (!isRunning(study, number)) return false;
        orm.insert(trialIntermediate).values({ study, number, step, value }).onConflictDoUpdate({ target: [trialIntermediate.study, trialIntermediate.number, trialIntermediate.step], set: { value } }).run();
        return true;
      }),
    finishTrial: (study, number, end) =>
      exec(() => orm.update(trials).set({ ...end, ownerPid: null, ownerStartTime: null }).where(running(study, number)).run().changes === 1),
    trials: (study) =>
      exec(() => {
        const byNumber = new Map<number, { step: number; value: number }[]>();
        for (const i of intermediateOf(study)) {
          const list = byNumber.get(i.number) ?? [];
          list.push({ step: i.step, value: i.value });
          byNumber.set(i.number, list);
        }
        return orm.select().from(trials).where(eq(trials.study, study)).orderBy(asc(trials.number)).all().map((r) => toTrial(r, byNumber.get(r.number) ?? []));
      }),
    trial: (study, number) =>
      exec(() => {
        const row = orm.select().from(trials).where(and(eq(trials.study, study), eq(trials.number, number))).get();
        return row ? toTrial(row, intermediateOf(study, number).map((i) => ({ step: i.step, value: i.value }))) : undefined;
      }),
    createWalkForward: (row) =>
      exec(() => orm.insert(walkForwards).values({ ...row, settings: JSON.stringify(row.settings) }).onConflictDoNothing().run().changes === 1),
    getWalkForward: (name) =>
      exec(() => {
        const row = orm.select().from(walkForwards).where(eq(walkForwards.name, name)).get();
        return row ? toWalkForward(row) : undefined;
      }),
    listWalkForwards: () => exec(() => orm.select().from(walkForwards).orderBy(asc(walkForwards.createdAt), asc(walkForwards.name)).all().map(toWalkForward)),
    saveWalkForwardWindow: (row) =>
      exec(() => {
        const values = { ...row, bestParams: JSON.stringify(row.bestParams) };
        const { walkForward: _w, window: _k, ...set } = values;
        orm.insert(walkForwardWindows).values(values).onConflictDoUpdate({ target: [walkForwardWindows.walkForward, walkForwardWindows.window], set }).run();
      }),
    walkForwardWindows: (name) =>
      exec(() => orm.select().from(walkForwardWindows).where(eq(walkForwardWindows.walkForward, name)).orderBy(asc(walkForwardWindows.window)).all().map(toWindow)),
  };
}
