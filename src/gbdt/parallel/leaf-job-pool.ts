/**
 * Multi-threaded learner jobs over SharedArrayBuffers. For leaf jobs each worker owns a fixed, contiguous range of
 * features and the calling thread takes the first range; every histogram bin is summed by exactly one thread in row
 * order and the per-range best splits are reduced in feature order. Partitions cut the rows into ordered chunks
 * that are concatenated in order. So the trained model is bit-identical for any thread count.
 *
 * Synchronisation is by `Atomics.wait`/`notify` on a small shared control block, so training stays synchronous
 * and a job costs microseconds of coordination. The worker body is generated from the kernels' own source text
 * (leaf-kernels.ts), so it runs the same code whether pulse runs from TypeScript sources (tests) or compiled
 * JavaScript (the CLI), with no worker file to locate.
 */
import { Worker } from 'node:worker_threads';
import { InternalError } from '../../core/errors.js';
import { JOB_SIZE, leafKernelSource, RESULT_SIZE, runJob } from '../learner/leaf-kernels.js';
import { kernelContext, type LeafJobInputs, type LeafJobRunner } from '../learner/leaf-job-runner.js';

// control block (Int32 indices)
const GEN = 0;
const DONE = 1;
const STOP = 2;
const READY = 3;
const FAILED = 4;
/** Generation of the last job each worker finished (one slot per worker, from index ACK). */
const ACK = 5;

/** How long the pool waits for silent workers before failing, in ms. */
const JOB_TIMEOUT_MS = 300_000;
/** Atomic loads a waiting thread spins through (about 2 ms, as OpenMP runtimes spin) before it sleeps on the futex. */
const SPIN_LOADS = 300_000;
const STARTUP_TIMEOUT_MS = 20_000;

function workerSource(): string {
  return `'use strict';
const { workerData } = require('node:worker_threads');
${leafKernelSource()}
const w = workerData;
// the WebAssembly histogram kernel over the shared arena, when the inputs live there (see kernels/memory.ts)
w.ctx.histWasm = w.wasm === null ? null
  : new WebAssembly.Instance(w.wasm.module, { env: { memory: w.wasm.memory } }).exports[w.wasm.wide ? 'hist16' : 'hist8'];
Atomics.add(w.ctrl, ${READY}, 1);
Atomics.notify(w.ctrl, ${READY});
let gen = 0;
for (;;) {
  // jobs come every few microseconds while a tree grows: spin briefly before sleeping (a futex wake-up costs more)
  for (let spin = 0; spin < ${SPIN_LOADS} && Atomics.load(w.ctrl, ${GEN}) === gen; spin++);
  // a wake-up is not a job: the notify of a job this worker already ran can arrive late, so wait until the
  // generation really moves on (running a job twice would count it done twice and let the caller run ahead)
  while (Atomics.load(w.ctrl, ${GEN}) === gen) Atomics.wait(w.ctrl, ${GEN}, gen);
  gen = Atomics.load(w.ctrl, ${GEN});
  if (Atomics.load(w.ctrl, ${STOP}) !== 0) break;
  try {
    // a fresh copy of the job (a builtin call the compiler cannot hoist out of this loop)
    runJob(w.ctx, w.featStart, w.featEnd, w.thread, w.numThreads, w.job.slice(), w.results, w.resultBase);
  } catch (e) {
    Atomics.store(w.ctrl, ${FAILED}, 1);
  }
  Atomics.store(w.ctrl, ${ACK} + w.thread - 1, gen);
  Atomics.add(w.ctrl, ${DONE}, 1);
  Atomics.notify(w.ctrl, ${DONE});
}
`;
}

/** Split `numFeatures` into `parts` contiguous ranges of near-equal size; returns `parts + 1` boundaries. */
export function splitFeatures(numFeatures: number, parts: number): Int32Array {
  const b = new Int32Array(parts + 1);
  for (let t = 0; t <= parts; t++) b[t] = Math.round((t * numFeatures) / parts);
  return b;
}

function waitFor(ctrl: Int32Array, index: number, target: number, timeoutMs: number, what: string): void {
  for (let spin = 0; spin < SPIN_LOADS && Atomics.load(ctrl, index) < target; spin++);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = Atomics.load(ctrl, index);
    if (v >= target) return;
    const left = deadline - Date.now();
    if (left <= 0) throw new InternalError(`GBDT worker threads did not answer while ${what}`);
    Atomics.wait(ctrl, index, v, Math.min(left, 1000));
  }
}

/**
 * A runner using `numThreads` threads (the caller plus workers). `bins`, `rows`, `grad` and `hess` must live on
 * SharedArrayBuffers. Returns null when fewer than 2 threads would work or workers cannot start here, so the
 * caller falls back to the serial runner (results are identical either way).
 */
export function createParallelLeafJobRunner(inputs: LeafJobInputs, numThreads: number): LeafJobRunner | null {
  const { bins, columns, numFeatures, rows, grad, hess } = inputs;
  const threads = Math.min(numThreads, numFeatures);
  if (threads < 2) return null;
  if (![bins, columns, rows, grad, hess].every((a) => a.buffer instanceof SharedArrayBuffer)) {
    throw new InternalError('parallel leaf jobs need SharedArrayBuffer-backed inputs');
  }
  if (!inputs.alloc.shared) throw new InternalError('parallel leaf jobs need a shared allocator');
  const ctx = kernelContext(inputs);
  const { arena } = inputs;
  const wasm = arena ? { module: arena.module, memory: arena.memory, wide: bins instanceof Uint16Array } : null;
  const job = new Float64Array(new SharedArrayBuffer(JOB_SIZE * 8));
  const results = new Float64Array(new SharedArrayBuffer(threads * 2 * RESULT_SIZE * 8));
  const ctrl = new Int32Array(new SharedArrayBuffer((ACK + threads) * 4));
  const ranges = splitFeatures(numFeatures, threads);
  const source = workerSource();
  const workers: Worker[] = [];
  const close = (): void => {
    if (workers.length === 0) return;
    Atomics.store(ctrl, STOP, 1);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    for (const w of workers) void w.terminate();
    workers.length = 0;
  };
  try {
    for (let t = 1; t < threads; t++) {
      const w = new Worker(source, {
        eval: true,
        workerData: {
          ctrl, ctx: { ...ctx, histWasm: null }, wasm, featStart: ranges[t], featEnd: ranges[t + 1], thread: t, numThreads: threads, job, results, resultBase: t * 2 * RESULT_SIZE,
        },
      });
      w.unref();
      workers.push(w);
    }
    waitFor(ctrl, READY, threads - 1, STARTUP_TIMEOUT_MS, 'starting');
  } catch {
    close();
    return null;
  }
  const numWorkers = threads - 1;
  return {
    pool: ctx.hist, slotSize: ctx.slotSize, numThreads: threads, job, results, usable: ctx.usable, leftOut: ctx.leftOut, rightOut: ctx.rightOut,
    run() {
      if (workers.length === 0) throw new InternalError('GBDT worker pool used after close()');
      Atomics.store(ctrl, DONE, 0);
      const gen = Atomics.add(ctrl, GEN, 1) + 1;
      Atomics.notify(ctrl, GEN);
      runJob(ctx, ranges[0], ranges[1], 0, threads, job, results, 0);
      waitFor(ctrl, DONE, numWorkers, JOB_TIMEOUT_MS, 'growing a tree');
      if (Atomics.load(ctrl, FAILED) !== 0) throw new InternalError('a GBDT worker thread failed');
      for (let t = 0; t < numWorkers; t++) {
        if (Atomics.load(ctrl, ACK + t) !== gen) throw new InternalError(`GBDT worker ${t + 1} answered job ${Atomics.load(ctrl, ACK + t)}, expected ${gen}`);
      }
    },
    close,
  };
}
