/**
 * Runs the per-split work of the tree learner (`runLeafJob`: histogram, subtraction, split search) over all
 * features. The serial runner does it on the calling thread; `parallel/leaf-job-pool.ts` splits the features
 * between worker threads. Both expose the same shared buffers, so the learner writes a job, calls `run()` and
 * reduces the per-thread results, whatever the runner.
 */
import { JOB_SIZE, RESULT_SIZE, runLeafJob } from './leaf-kernels.js';

/** Inputs shared by every thread. */
export interface LeafJobInputs {
  bins: Uint8Array | Uint16Array;
  numFeatures: number;
  binOffset: Int32Array;
  numBins: Int32Array;
  /** Row indices of the data partition. */
  rows: Uint32Array;
  grad: Float64Array;
  hess: Float64Array;
  /** Histogram slots to allocate (one per live leaf). */
  numSlots: number;
}

/** Executes leaf jobs; see leaf-kernels.ts for the job and result layouts. */
export interface LeafJobRunner {
  /** Histogram slots, `numSlots x slotSize` float64. */
  readonly pool: Float64Array;
  /** Float64 values per slot (2 per bin). */
  readonly slotSize: number;
  /** Threads working on each job (including the caller). */
  readonly numThreads: number;
  /** The job the next `run()` executes (`JOB_SIZE` values). */
  readonly job: Float64Array;
  /** Per-thread results: `numThreads x 2 x RESULT_SIZE`, threads in increasing feature order. */
  readonly results: Float64Array;
  /** Features the split search may use (1) for the current tree. */
  readonly usable: Uint8Array;
  /** Execute `job` on every thread and return when all are done. */
  run(): void;
  /** Release threads (idempotent). */
  close(): void;
}

/** Allocate a Float64Array / Uint8Array on a SharedArrayBuffer or a plain ArrayBuffer. */
export function allocF64(length: number, shared: boolean): Float64Array {
  return new Float64Array(shared ? new SharedArrayBuffer(length * 8) : new ArrayBuffer(length * 8));
}

/** A runner doing every job on the calling thread. */
export function createSerialLeafJobRunner(inputs: LeafJobInputs): LeafJobRunner {
  const { bins, numFeatures, binOffset, numBins, rows, grad, hess } = inputs;
  const slotSize = binOffset[numFeatures] * 2;
  const pool = new Float64Array(slotSize * inputs.numSlots);
  const job = new Float64Array(JOB_SIZE);
  const results = new Float64Array(2 * RESULT_SIZE);
  const usable = new Uint8Array(numFeatures);
  return {
    pool, slotSize, numThreads: 1, job, results, usable,
    run() {
      runLeafJob(bins, numFeatures, 0, numFeatures, binOffset, numBins, usable, rows, grad, hess, pool, slotSize, job, results, 0);
    },
    close() {},
  };
}
