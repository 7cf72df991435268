/**
 * A small lazy pool of `worker_threads` workers for batch prediction. Workers run the same code as the main thread
 * (shipped as text, see predict-kernel.ts): the WebAssembly kernel over a batch's shared memory, or the JavaScript
 * kernel over SharedArrayBuffers for forests the WebAssembly kernel does not take (categorical or zero-as-missing
 * splits). Every row is scored whole by one thread, so results do not depend on the number of threads. Workers are
 * unref'd while idle so they never keep the process alive. If workers cannot start (restricted environment), the
 * pool reports it and callers predict in-thread.
 */
import { Worker } from 'node:worker_threads';
import { type CompiledForest, predictRowsKernel, runWasmBatch, type WasmBatch } from './predict-kernel.js';

const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
// Bundlers that keep function names may reference this helper inside the shipped kernel source.
const __name = (f) => f;
const kernel = (${predictRowsKernel.toString()});
const runWasmBatch = (${runWasmBatch.toString()});
const forests = new Map();
parentPort.on('message', (m) => {
  try {
    if (m.batch) {
      runWasmBatch(m.batch, m.slot);
      parentPort.postMessage({ jobId: m.jobId, ok: true });
      return;
    }
    if (m.forest) {
      if (forests.size >= 4) forests.clear();
      forests.set(m.forestId, m.forest);
    }
    kernel(forests.get(m.forestId), m.X, m.numFeatures, m.rowStart, m.rowEnd, m.out);
    parentPort.postMessage({ jobId: m.jobId, ok: true });
  } catch (error) {
    parentPort.postMessage({ jobId: m.jobId, ok: false, message: String(error && error.stack || error) });
  }
});
`;

interface PoolWorker {
  worker: Worker;
  /** Forest ids this worker already holds. */
  forests: Set<number>;
  busy: number;
  /** Set when the pool terminates the worker on purpose, so its exit is not taken for a crash. */
  closing: boolean;
  pending: Map<number, { resolve: () => void; reject: (e: Error) => void }>;
}

const workers: PoolWorker[] = [];
let broken = false;
let nextJobId = 1;
let nextForestId = 1;
const forestIds = new WeakMap<CompiledForest, number>();

function startWorker(): PoolWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const entry: PoolWorker = { worker, forests: new Set(), busy: 0, closing: false, pending: new Map() };
  worker.on('message', (m: { jobId: number; ok: boolean; message?: string }) => {
    const job = entry.pending.get(m.jobId);
    if (!job) return;
    entry.pending.delete(m.jobId);
    if (--entry.busy === 0) worker.unref();
    if (m.ok) job.resolve();
    else job.reject(new Error(m.message));
  });
  const failAll = (error: Error) => {
    if (!entry.closing) broken = true;
    for (const job of entry.pending.values()) job.reject(error);
    entry.pending.clear();
    const i = workers.indexOf(entry);
    if (i >= 0) workers.splice(i, 1);
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`prediction worker exited with code ${code}`)));
  worker.unref();
  return entry;
}

/** Whether the pool may be used (false after a worker failed to start or crashed). */
export function poolAvailable(): boolean {
  return !broken;
}

/** Post `message` (with a fresh job id) to worker `slot` (0-based; started on first use); resolves on its reply. */
function post(slot: number, message: (entry: PoolWorker) => Record<string, unknown>): Promise<void> {
  try {
    while (workers.length <= slot) workers.push(startWorker());
  } catch (error) {
    // Workers cannot start here (e.g. a sandbox without eval workers): stop trying, callers predict in-thread.
    broken = true;
    return Promise.reject(error);
  }
  const entry = workers[slot];
  const jobId = nextJobId++;
  const body = message(entry);
  return new Promise<void>((resolve, reject) => {
    entry.pending.set(jobId, { resolve, reject });
    if (entry.busy++ === 0) entry.worker.ref();
    entry.worker.postMessage({ jobId, ...body });
  });
}

/**
 * Run the JavaScript kernel on `[rowStart, rowEnd)` in worker `slot`. `forest`, `X` and `out` must be backed by
 * SharedArrayBuffers.
 */
export function runInWorker(
  slot: number,
  forest: CompiledForest,
  X: ArrayLike<number>,
  numFeatures: number,
  rowStart: number,
  rowEnd: number,
  out: Float64Array,
): Promise<void> {
  let forestId = forestIds.get(forest);
  if (forestId === undefined) {
    forestId = nextForestId++;
    forestIds.set(forest, forestId);
  }
  const id = forestId;
  return post(slot, (entry) => {
    const sendForest = !entry.forests.has(id);
    if (sendForest) {
      if (entry.forests.size >= 4) entry.forests.clear();
      entry.forests.add(id);
    }
    return { forestId: id, forest: sendForest ? forest : undefined, X, numFeatures, rowStart, rowEnd, out };
  });
}

/** Let worker `slot` claim and score blocks of `batch` as thread `threadSlot` (see runWasmBatch). */
export function runWasmInWorker(slot: number, batch: WasmBatch, threadSlot: number): Promise<void> {
  return post(slot, () => ({ batch, slot: threadSlot }));
}

/** Terminate all pool workers (tests and long-running hosts that want to release threads). */
export async function shutdownPredictionPool(): Promise<void> {
  const all = workers.splice(0, workers.length);
  for (const w of all) w.closing = true;
  await Promise.all(all.map((w) => w.worker.terminate()));
}
