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
 *   it was loaded (src/core/memory.ts; two collections per model, a few ms each). Its resolution is some 10-100 KB
 *   (V8's own bookkeeping, and the code compiled to read the first model of a family): a ridge model holding a few
 *   KB reads as noise, a forest of 400 KB of JSON as about 1 MB. Absent when the runtime cannot force a collection.
 * Each figure above its warn threshold warns. The inputs are computed from a bounded window of the newest bars, so
 * the cost does not grow with the series, and built once for the models that read the same inputs. A model whose
 * series has no bars is loaded but not timed (warn).
 */
import { existsSync } from 'node:fs';
import { PulseError, toError } from '../../../core/errors.js';
import { hashFile } from '../../../core/hash.js';
import type { Interval } from '../../../core/interval.js';
import { retainedBytes } from '../../../core/memory.js';
import { forecast } from '../../../lifecycle/forecast.js';
import { registeredModelInputs, selectRange, type ModelInputs } from '../../../lifecycle/inputs.js';
import { inputsKey, loadRegisteredModel, type LoadedModel } from '../../../lifecycle/load.js';
import { listModels, type ModelVersion } from '../../../registry/registry.js';
import type { Store } from '../../../store/store.js';
import { result, type CheckResult, type HealthCheck, type HealthPolicy, type HealthState } from '../check.js';

const SINGLE_CALLS = 5;
const BATCH_CALLS = 3;
const MIB = 2 ** 20;

export const modelsCheck: HealthCheck = {
  name: 'models',
  description: 'every active or shadow model: its file present with the registry\'s sha256, loadable, and its single-row and batch prediction time and memory on the newest bars of its series against the warn thresholds',
  async run({ store, policy }) {
    const models = [...(await listModels(store, { status: 'active' })), ...(await listModels(store, { status: 'shadow' }))];
    if (models.length === 0) return [result('models', 'ok', 'no active or shadow model', { models: 0 })];
    const out: CheckResult[] = [];
    const timing = policy.modelMeasure ? new Timing(store, policy) : null;
    for (const m of models) {
      const bad = m.status === 'active' ? 'critical' : 'warn';
      if (!existsSync(m.file)) {
        out.push(result('models', bad, `${m.status} model ${m.id}: its file ${m.filePath} is missing; restore a backup or retrain`, {}, m.id));
        continue;
      }
      const { sha256, size } = await hashFile(m.file);
      if (sha256 !== m.fileSha256) {
        out.push(result('models', bad, `${m.status} model ${m.id}: its file does not match the registry's sha256; restore a backup or retrain`, { fileBytes: size }, m.id));
      } else if (timing === null) {
        out.push(result('models', 'ok', `${m.status} model ${m.id} (${m.slot}): file ok`, { fileBytes: size }, m.id));
      } else {
        out.push(await timing.run(m, size));
      }
    }
    return out;
  },
};

/** Loading and timing the models of one run, sharing their inputs. */
class Timing {
  private readonly inputs = new Map<string, ModelInputs>();

  constructor(
    private readonly store: Store,
    private readonly policy: HealthPolicy,
  ) {}

  async run(m: ModelVersion, fileBytes: number): Promise<CheckResult> {
    let loaded: LoadedModel;
    const metrics: Record<string, number> = { fileBytes };
    try {
      // Synchronous from one measure to the other: nothing else runs and allocates in between.
      const before = retainedBytes();
      loaded = loadRegisteredModel(m);
      const held = retainedBytes();
      if (before !== null && held !== null) metrics.memoryBytes = Math.max(0, held - before);
    } catch (err) {
      if (!(err instanceof PulseError)) throw err;
      return result('models', m.status === 'active' ? 'critical' : 'warn', `${m.status} model ${m.id}: cannot be loaded: ${err.message}; restore a backup or retrain`, metrics, m.id);
    }
    const head = `${m.status} model ${m.id} (${m.slot})`;
    const memory = metrics.memoryBytes === undefined ? 'memory not measured' : `${(metrics.memoryBytes / MIB).toFixed(1)} MiB held`;
    // Timed on the first symbol of a pooled model.
    const symbol = loaded.document.symbols[0];
    const interval = loaded.interval as Interval;
    if ((await this.store.bars.lastTime(symbol, interval)) === undefined) {
      return result('models', 'warn', `${head}: loads, ${memory}; not timed: no ${interval} bars of ${symbol} stored (pulse collect ${symbol} --interval ${interval})`, metrics, m.id);
    }
    let X: ModelInputs;
    try {
      const key = `${symbol}|${interval}|${inputsKey(loaded)}`;
      X = this.inputs.get(key) ?? (await registeredModelInputs(this.store, loaded.document, m.id, symbol, { newest: this.policy.modelBatchRows }));
      this.inputs.set(key, X);
    } catch (err) {
      if (!(err instanceof PulseError)) throw err;
      return result('models', 'warn', `${head}: loads, ${memory}; not timed: its inputs cannot be built: ${toError(err).message}`, metrics, m.id);
    }
    const rows = X.X.numRows;
    const last = selectRange(X.X, rows - 1, rows);
    metrics.singleRowMs = medianMs(() => forecast(loaded.model, last, loaded.classValues), SINGLE_CALLS);
    metrics.batchMs = medianMs(() => forecast(loaded.model, X.X, loaded.classValues, X.warmupRows), BATCH_CALLS);
    metrics.batchRows = rows;
    const over: string[] = [];
    if (metrics.singleRowMs > this.policy.modelLatencyWarnMs) over.push(`single-row prediction above ${this.policy.modelLatencyWarnMs} ms`);
    if (metrics.batchMs > this.policy.modelBatchLatencyWarnMs) over.push(`batch prediction above ${this.policy.modelBatchLatencyWarnMs} ms`);
    if (metrics.memoryBytes !== undefined && metrics.memoryBytes > this.policy.modelMemoryWarnMiB * MIB) over.push(`memory above ${this.policy.modelMemoryWarnMiB} MiB`);
    const state: HealthState = over.length > 0 ? 'warn' : 'ok';
    const figures = `single row ${fmtMs(metrics.singleRowMs)}, ${rows} rows ${fmtMs(metrics.batchMs)}, ${memory}`;
    return result('models', state, `${head}: ${figures}${over.length > 0 ? `; ${over.join(', ')} (settings health.model*)` : ''}`, metrics, m.id);
  }
}

/** Median wall time of `fn` over `calls` calls after one warm-up call, milliseconds. */
function medianMs(fn: () => unknown, calls: number): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[calls >> 1];
}

function fmtMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} us` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}
