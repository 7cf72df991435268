/**
 * Multi-threaded histogram building over SharedArrayBuffers. Each worker owns a fixed, contiguous range of
 * features and the calling thread takes the first range, so every histogram bin is summed by exactly one thread
 * in row order: the histograms (and therefore the trained model) are bit-identical for any thread count.
 *
 * Synchronisation is by `Atomics.wait`/`notify` on a small shared control block, so training stays synchronous
 * and a histogram build costs microseconds of coordination. The worker body is generated from the kernel's own
 * source text (`buildHistogramKernel.toString()`), so it runs the same code whether pulse runs from TypeScript
 * sources (tests) or compiled JavaScript (the CLI), with no worker file to locate.
 */
import { Worker } from 'node:worker_threads';
import { InternalError } from '../../core/errors.js';
import { buildHistogramKernel, HIST_STRIDE, type HistogramBuilder, type HistogramInputs } from '../learner/histogram.js';

// control block layout (Int32 indices)
const GEN = 0;
const DONE = 1;
const BEGIN = 2;
const END = 3;
const SLOT = 4;
const GRAD_OFFSET = 5;
const STOP = 6;
const READY = 7;
const FAILED = 8;
const CONTROL_SIZE = 9;

/** How long a worker may stay silent before the pool gives up (startup or one histogram), in ms. */
const WORKER_TIMEOUT_MS = 300_000;
const STARTUP_TIMEOUT_MS = 20_000;

function workerSource(): string {
  return `'use strict';
const { workerData } = require('node:worker_threads');
const kernel = (${buildHistogramKernel.toString()});
const { ctrl, bins, numFeatures, featStart, featEnd, binOffset, rows, grad, hess, pool, slotSize } = workerData;
Atomics.add(ctrl, ${READY}, 1);
Atomics.notify(ctrl, ${READY});
let gen = 0;
for (;;) {
  Atomics.wait(ctrl, ${GEN}, gen);
  gen = Atomics.load(ctrl, ${GEN});
  if (Atomics.load(ctrl, ${STOP}) !== 0) break;
  try {
    kernel(bins, numFeatures, featStart, featEnd, binOffset, rows, ctrl[${BEGIN}], ctrl[${END}], grad, hess,
      ctrl[${GRAD_OFFSET}], pool, ctrl[${SLOT}] * slotSize);
  } catch (e) {
    Atomics.store(ctrl, ${FAILED}, 1);
  }
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
}
`;
}

function isShared(a: { buffer: ArrayBufferLike }): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** Split `numFeatures` into `parts` contiguous ranges of near-equal size; returns `parts + 1` boundaries. */
export function splitFeatures(numFeatures: number, parts: number): Int32Array {
  const b = new Int32Array(parts + 1);
  for (let t = 0; t <= parts; t++) b[t] = Math.round((t * numFeatures) / parts);
  return b;
}

function waitFor(ctrl: Int32Array, index: number, target: number, timeoutMs: number, what: string): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = Atomics.load(ctrl, index);
    if (v >= target) return;
    const left = deadline - Date.now();
    if (left <= 0) throw new InternalError(`histogram worker threads did not answer while ${what}`);
    Atomics.wait(ctrl, index, v, Math.min(left, 1000));
  }
}

/**
 * A builder using `numThreads` threads (the caller plus `numThreads - 1` workers). Every array in `inputs` must
 * live on a SharedArrayBuffer. Returns null when workers cannot be started here, so the caller can fall back to
 * the serial builder (results are identical either way).
 */
export function createParallelHistogramBuilder(inputs: HistogramInputs, numThreads: number): HistogramBuilder | null {
  const { bins, numFeatures, binOffset, rows, grad, hess } = inputs;
  if (numThreads < 2 || numFeatures < 2) return null;
  if (![bins, rows, grad, hess].every(isShared)) throw new InternalError('parallel histograms need SharedArrayBuffer-backed inputs');
  const threads = Math.min(numThreads, numFeatures);
  const slotSize = binOffset[numFeatures] * HIST_STRIDE;
  const pool = new Float64Array(new SharedArrayBuffer(slotSize * inputs.numSlots * 8));
  const ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_SIZE * 4));
  const sharedOffsets = new Int32Array(new SharedArrayBuffer(binOffset.byteLength));
  sharedOffsets.set(binOffset);
  const ranges = splitFeatures(numFeatures, threads);
  const source = workerSource();
  const workers: Worker[] = [];
  const terminate = (): void => {
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
          ctrl, bins, numFeatures, featStart: ranges[t], featEnd: ranges[t + 1], binOffset: sharedOffsets, rows, grad, hess, pool, slotSize,
        },
      });
      w.unref();
      workers.push(w);
    }
    waitFor(ctrl, READY, threads - 1, STARTUP_TIMEOUT_MS, 'starting');
  } catch {
    terminate();
    return null;
  }
  const numWorkers = threads - 1;
  return {
    pool,
    slotSize,
    numThreads: threads,
    build(begin, end, slot, gradOffset) {
      if (workers.length === 0) throw new InternalError('histogram pool used after close()');
      ctrl[BEGIN] = begin;
      ctrl[END] = end;
      ctrl[SLOT] = slot;
      ctrl[GRAD_OFFSET] = gradOffset;
      Atomics.store(ctrl, DONE, 0);
      Atomics.add(ctrl, GEN, 1);
      Atomics.notify(ctrl, GEN);
      buildHistogramKernel(bins, numFeatures, ranges[0], ranges[1], binOffset, rows, begin, end, grad, hess, gradOffset, pool, slot * slotSize);
      waitFor(ctrl, DONE, numWorkers, WORKER_TIMEOUT_MS, 'building a histogram');
      if (Atomics.load(ctrl, FAILED) !== 0) throw new InternalError('a histogram worker thread failed');
    },
    close: terminate,
  };
}
