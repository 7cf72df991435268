/**
 * The models in use (active and shadow): each file present with the sha256 the registry recorded, loadable through
 * the lifecycle, and timed on current data: its inputs built on the newest bars of its series the way `pulse predict`
 * builds them (src/lifecycle: registeredModelInputs, forecast), then
 * - `singleRowMs`: the median time of a forecast of the newest row (what `pulse predict` runs per bar), over five
 *   calls after one warm-up call;
 * - `batchMs`: the median time of a forecast of the newest `batchRows` rows (settings `modelBatchRows`, fewer when the
 *   series is shorter), over three calls after one warm-up call;
 * - `memoryBytes`: what the loaded model (its parsed document and the fitted model) keeps in memory: the retained
 *   heap and array-buffer bytes after a full garbage collection, with the model held, against the same just before
 *   it was loaded (src/core/measure.ts; two collections per model, a few ms each). Its resolution is some 10-100 KB
 *   (V8's own bookkeeping, and the code compiled to read the first model of a family): a ridge model holding a few
 *   KB reads as noise, a forest of 400 KB of JSON as about 1 MB. Absent when the runtime cannot force a collection;
 * - `timedAtMs`: when these figures were measured (Unix ms).
 * Each figure above its warn threshold warns. The inputs are computed from a bounded window of the newest bars, so
 * the cost does not grow with the series, and built once for the models that read the same inputs.
 *
 * A run spends about `modelMeasureBudgetMs` on timing: the models timed longest ago by the recorded runs first
 * (never timed before all, active before shadow on a tie), at least one per run. Every other model has its file checked and shows its last recorded
 * figures with their age, judged by the same thresholds, so a home with many models is timed over a few runs
 * instead of slowing every run. A model whose series has no bars is loaded but not timed (warn).
 *
 * This file checks the files and picks the models to time; model-timing.ts loads and times them (its modules load
 * only when a model is timed), model-figures.ts judges and words the figures.
 */
import { existsSync } from 'node:fs';
import { hashFile } from '../../../core/hash.js';
import type { ModelVersion } from '../../../registry/registry.js';
import type { Store } from '../../../store/store.js';
import { result, type CheckResult, type HealthCheck, type HealthPolicy } from '../check.js';
import { judged, type Timed } from './model-figures.js';

/** Recorded runs searched for each model's last figures. */
const RECENT_RUNS = 50;

export const modelsCheck: HealthCheck = {
  name: 'models',
  description: 'every active or shadow model: its file present with the registry\'s sha256, loadable, and its single-row and batch prediction time and memory on the newest bars of its series against the warn thresholds',
  async run({ store, policy, now }) {
    // The registry and the model stack load when the check runs, after the store check's worker has started.
    const { listModels } = await import('../../../registry/registry.js');
    const models = [...(await listModels(store, { status: 'active' })), ...(await listModels(store, { status: 'shadow' }))];
    if (models.length === 0) return [result('models', 'ok', 'no active or shadow model', { models: 0 })];
    const results = new Map<string, CheckResult>();
    const sound: { m: ModelVersion; fileBytes: number }[] = [];
    for (const m of models) {
      const bad = m.status === 'active' ? 'critical' : 'warn';
      if (!existsSync(m.file)) {
        results.set(m.id, result('models', bad, `${m.status} model ${m.id}: its file ${m.filePath} is missing; restore a backup or retrain`, {}, m.id));
        continue;
      }
      const { sha256, size } = await hashFile(m.file);
      if (sha256 !== m.fileSha256) {
        results.set(m.id, result('models', bad, `${m.status} model ${m.id}: its file does not match the registry's sha256; restore a backup or retrain`, { fileBytes: size }, m.id));
      } else if (!policy.modelMeasure) {
        results.set(m.id, result('models', 'ok', `${m.status} model ${m.id} (${m.slot}): file ok`, { fileBytes: size }, m.id));
      } else {
        sound.push({ m, fileBytes: size });
      }
    }
    if (sound.length > 0) {
      const last = await lastFigures(store);
      const order = (x: { m: ModelVersion }) => [last.get(x.m.id)?.timedAtMs ?? 0, x.m.status === 'active' ? 0 : 1];
      sound.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
      const { Timing } = await import('./model-timing.js');
      const timing = new Timing(store, policy, now);
      const started = performance.now();
      for (const [i, { m, fileBytes }] of sound.entries()) {
        const spent = i > 0 && performance.now() - started >= policy.modelMeasureBudgetMs;
        results.set(m.id, spent ? carried(m, fileBytes, last.get(m.id), policy, now) : await timing.run(m, fileBytes));
      }
    }
    return models.map((m) => results.get(m.id)!);
  },
};

/** Each model's newest figures in the recorded runs. */
async function lastFigures(store: Store): Promise<Map<string, Timed>> {
  const out = new Map<string, Timed>();
  for (const run of await store.health.list(RECENT_RUNS)) {
    for (const r of run.results as CheckResult[]) {
      const t = r.metrics as Partial<Timed>;
      if (r.check !== 'models' || r.subject === null || t.timedAtMs === undefined || t.singleRowMs === undefined) continue;
      if ((out.get(r.subject)?.timedAtMs ?? -Infinity) < t.timedAtMs) out.set(r.subject, t as Timed);
    }
  }
  return out;
}

/** A model this run does not time: its file is sound, and its last recorded figures stand (judged again). */
function carried(m: ModelVersion, fileBytes: number, last: Timed | undefined, policy: HealthPolicy, now: number): CheckResult {
  const head = `${m.status} model ${m.id} (${m.slot})`;
  if (last === undefined) {
    return result('models', 'ok', `${head}: file ok; not timed yet: this run's timing budget (health.modelMeasureBudgetMs) was spent, a coming run times it`, { fileBytes }, m.id);
  }
  const metrics: Record<string, number> = { ...last, fileBytes };
  const age = `timed ${formatAge(now - last.timedAtMs)} ago; this run's timing budget was spent`;
  return judged(head, metrics, age, policy, m.id);
}

function formatAge(ms: number): string {
  const minutes = Math.max(0, ms) / 60_000;
  return minutes < 90 ? `${minutes.toFixed(0)} min` : minutes < 48 * 60 ? `${(minutes / 60).toFixed(1)} h` : `${(minutes / 1440).toFixed(1)} days`;
}
