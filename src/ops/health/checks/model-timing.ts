/**
 * Loading and timing a model for the models check (models.ts describes the figures): loaded through the lifecycle,
 * its inputs built on the newest bars of its series the way `pulse predict` builds them, then timed. A module of its
 * own so that the models check loads the model stack only when it times a model.
 */
import { PulseError, toError } from '../../../core/errors.js';
import type { Interval } from '../../../core/interval.js';
import { medianMs, retainedBytes } from '../../../core/measure.js';
import { forecast } from '../../../lifecycle/forecast.js';
import { registeredModelInputs, selectRange, type ModelInputs } from '../../../lifecycle/inputs.js';
import { inputsKey, loadRegisteredModel, type LoadedModel } from '../../../lifecycle/load.js';
import type { ModelVersion } from '../../../registry/registry.js';
import type { Store } from '../../../store/store.js';
import { result, type CheckResult, type HealthPolicy } from '../check.js';
import { judged, memoryText } from './model-figures.js';

const SINGLE_CALLS = 5;
const BATCH_CALLS = 3;

/** Loading and timing the models of one run, sharing their inputs. */
export class Timing {
  private readonly inputs = new Map<string, ModelInputs>();

  constructor(
    private readonly store: Store,
    private readonly policy: HealthPolicy,
    private readonly now: number,
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
    // Timed on the first symbol of a pooled model.
    const symbol = loaded.document.symbols[0];
    const interval = loaded.interval as Interval;
    if ((await this.store.bars.lastTime(symbol, interval)) === undefined) {
      return result('models', 'warn', `${head}: loads, ${memoryText(metrics)}; not timed: no ${interval} bars of ${symbol} stored (pulse collect ${symbol} --interval ${interval})`, metrics, m.id);
    }
    let X: ModelInputs;
    try {
      const key = `${symbol}|${interval}|${inputsKey(loaded)}`;
      X = this.inputs.get(key) ?? (await registeredModelInputs(this.store, loaded.document, m.id, symbol, { newest: this.policy.modelBatchRows }));
      this.inputs.set(key, X);
    } catch (err) {
      if (!(err instanceof PulseError)) throw err;
      return result('models', 'warn', `${head}: loads, ${memoryText(metrics)}; not timed: its inputs cannot be built: ${toError(err).message}`, metrics, m.id);
    }
    const rows = X.X.numRows;
    const last = selectRange(X.X, rows - 1, rows);
    metrics.singleRowMs = medianMs(() => forecast(loaded.model, last, loaded.classValues), SINGLE_CALLS);
    metrics.batchMs = medianMs(() => forecast(loaded.model, X.X, loaded.classValues, X.warmupRows), BATCH_CALLS);
    metrics.batchRows = rows;
    metrics.timedAtMs = this.now;
    return judged(head, metrics, null, this.policy, m.id);
  }
}
