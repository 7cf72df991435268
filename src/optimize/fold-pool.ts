/**
 * Fitting a study's cross-validation folds, in the calling thread or on worker threads (`pulse optimize --jobs K`).
 * A pool fits "fold k of the plan with these parameters" and returns what the objectives read (./objectives):
 * the fold's metrics and, for the backtest objectives, the forecasts of its validation block. Objective values,
 * pruning and the study's storage stay in the calling thread.
 *
 * Workers share the plan's feature columns and labels through one SharedArrayBuffer each (no copy per worker or per
 * trial); every fold is fitted by `fitFold` (the training function of `pulse train`) with the fold's seed, so a
 * fold's outcome does not depend on the thread it ran on. GBDT fits inside a worker use one thread each. Workers run
 * this very module, so they are used when pulse runs as compiled JavaScript (the CLI); from TypeScript sources
 * (tests) folds are fitted in the calling thread.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { noPace, type Pace } from '../core/async.js';
import { InternalError, InterruptedError, PulseError, errorFromWorker, toError } from '../core/errors.js';
import type { Split } from '../evaluation/splits.js';
import { forecastsOf } from '../lifecycle/forecast.js';
import { selectRange } from '../lifecycle/inputs.js';
import { familyTraits } from '../models/registry.js';
import { fitFold, type CvPlan } from '../train/run.js';
import type { FoldOutcome } from './objectives/objective.js';
import type { Params } from './space.js';

/** Fits folds of one plan. */
export interface FoldPool {
  /** Fit fold `k` (0-based) with `params`. */
  fit(params: Params, k: number): Promise<FoldOutcome>;
  /** Worker threads in use (1: the calling thread). */
  readonly threads: number;
  close(): void;
}

/** Fit fold `k` of `plan` and collect what the objectives read. */
async function fitOutcome(plan: CvPlan, seed: number, params: Params, k: number, forecasts: boolean, pace: Pace): Promise<FoldOutcome> {
  const fit = await fitFold(plan, k, seed, { params, pace });
  const valid = plan.splits[k].valid;
  const validFrom = valid[0];
  const validTo = valid[valid.length - 1];
  const rows = validTo - validFrom + 1;
  return {
    metrics: fit.metrics,
    forecasts: forecasts ? forecastsOf(fit.model.predict(selectRange(plan.frame, validFrom, validTo + 1)), rows, plan.task, plan.classValues) : new Float64Array(0),
    validFrom,
    validTo,
  };
}

/** A pool that fits in the calling thread. */
export function threadPool(plan: CvPlan, seed: number, forecasts: boolean, pace: Pace = noPace): FoldPool {
  return { threads: 1, fit: (params, k) => fitOutcome(plan, seed, params, k, forecasts, pace), close() {} };
}

const WORKER_KIND = 'pulse-optimize-folds';

interface WorkerPayload {
  kind: typeof WORKER_KIND;
  /** The plan without its frame columns and labels, which travel as shared buffers. */
  plan: Omit<CvPlan, 'frame' | 'encoded'>;
  features: Float64Array;
  names: string[];
  numRows: number;
  encoded: Float64Array;
  seed: number;
  forecasts: boolean;
}

interface Job {
  id: number;
  params: Params;
  k: number;
}

interface Reply {
  id: number;
  ok: boolean;
  outcome?: FoldOutcome;
  name?: string;
  message?: string;
  hint?: string;
}

function shared(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * Float64Array.BYTES_PER_ELEMENT)).subarray(0, length);
}

/** Whether worker threads can run this module (compiled JavaScript only). */
export function canStartWorkers(): boolean {
  return import.meta.url.endsWith('.js');
}

/**
 * A pool of `threads` workers (see the module note); folds are handed to idle workers in the order asked. An abort
 * terminates the workers and rejects every pending fold with an InterruptedError.
 */
export function workerPool(plan: CvPlan, seed: number, forecasts: boolean, threads: number, signal?: AbortSignal): FoldPool {
  const n = plan.frame.numRows;
  const features = shared(plan.frame.columns.length * n);
  plan.frame.columns.forEach((c, f) => features.set(c, f * n));
  const encoded = shared(n);
  encoded.set(plan.encoded);
  const limit = familyTraits(plan.spec.family).limitThreads;
  const spec = limit ? { ...plan.spec, params: limit(plan.spec.params, 1) } : plan.spec;
  const { frame: _f, encoded: _e, ...rest } = plan;
  const payload: WorkerPayload = { kind: WORKER_KIND, plan: { ...rest, spec }, features, names: [...plan.frame.names], numRows: n, encoded, seed, forecasts };
  const file = fileURLToPath(import.meta.url);
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const queue: Job[] = [];
  const pending = new Map<number, { resolve: (o: FoldOutcome) => void; reject: (e: unknown) => void; worker?: Worker }>();
  let nextId = 0;
  let closed = false;

  const dispatch = () => {
    while (!closed && idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      pending.get(job.id)!.worker = worker;
      worker.postMessage(job);
    }
  };
  const failAll = (err: unknown) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    queue.length = 0;
  };
  const close = () => {
    closed = true;
    for (const w of all) void w.terminate();
  };
  for (let w = 0; w < threads; w++) {
    const worker = new Worker(file, { workerData: payload });
    all.push(worker);
    idle.push(worker);
    worker.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      idle.push(worker);
      if (p) {
        if (m.ok) p.resolve(m.outcome!);
        else p.reject(errorFromWorker(m, 'an optimize worker failed', (message) => new Error(message)));
      }
      dispatch();
    });
    worker.on('error', (err) => {
      if (!closed) failAll(new InternalError(`an optimize worker failed: ${toError(err).message}`, err));
    });
  }
  signal?.addEventListener('abort', () => {
    close();
    failAll(new InterruptedError());
  }, { once: true });
  return {
    threads,
    fit(params, k) {
      if (signal?.aborted) return Promise.reject(new InterruptedError());
      const id = nextId++;
      return new Promise<FoldOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        queue.push({ id, params, k });
        dispatch();
      });
    },
    close,
  };
}

function workerMain(payload: WorkerPayload): void {
  const port = parentPort!;
  const numFeatures = payload.numRows === 0 ? 0 : payload.features.length / payload.numRows;
  const columns = Array.from({ length: numFeatures }, (_, f) => payload.features.subarray(f * payload.numRows, (f + 1) * payload.numRows));
  const plan: CvPlan = { ...payload.plan, splits: payload.plan.splits as Split[], frame: { columns, names: payload.names, numRows: payload.numRows }, encoded: payload.encoded };
  port.on('message', (job: Job) => {
    fitOutcome(plan, payload.seed, job.params, job.k, payload.forecasts, noPace).then(
      (outcome) => port.postMessage({ id: job.id, ok: true, outcome } satisfies Reply),
      (err: unknown) => {
        const e = toError(err);
        port.postMessage({ id: job.id, ok: false, name: err instanceof PulseError ? err.name : 'Error', message: e.message, hint: err instanceof PulseError ? err.hint : undefined } satisfies Reply);
      },
    );
  });
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_KIND) workerMain(workerData as WorkerPayload);
