/**
 * Runs the learner's jobs (leaf jobs: histogram, subtraction and split search; row partitions) over all features
 * and rows. The serial runner does it on the calling thread; `parallel/leaf-job-pool.ts` splits features (leaf
 * jobs) or row chunks (partitions) between worker threads. Both expose the same shared buffers, so the learner
 * writes a job, calls `run()` and reduces the per-thread results, whatever the runner.
 */
import { JOB_SIZE, RESULT_SIZE, runJob, type KernelContext } from './leaf-kernels.js';

/** Inputs shared by every thread. */
export interface LeafJobInputs {
  bins: Uint8Array | Uint16Array;
  /** Feature-major copy of the codes (for partitioning). */
  columns: Uint8Array | Uint16Array;
  numRows: number;
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

/** Executes jobs; see leaf-kernels.ts for the job and result layouts. */
export interface LeafJobRunner {
  /** Histogram slots, `numSlots x slotSize` float64. */
  readonly pool: Float64Array;
  /** Float64 values per slot (2 per bin). */
  readonly slotSize: number;
  /** Threads working on each job (including the caller). */
  readonly numThreads: number;
  /** The job the next `run()` executes (`JOB_SIZE` values). */
  readonly job: Float64Array;
  /** Per-thread results: `numThreads x 2 x RESULT_SIZE`, threads in increasing feature (or chunk) order. */
  readonly results: Float64Array;
  /** Features the split search may use (1) for the current tree. */
  readonly usable: Uint8Array;
  /** Partition scratch: per-chunk left and right rows (see `partitionChunkKernel`). */
  readonly leftOut: Uint32Array;
  readonly rightOut: Uint32Array;
  /** Execute `job` on every thread and return when all are done. */
  run(): void;
  /** Release threads (idempotent). */
  close(): void;
}

/** A Float64Array on a SharedArrayBuffer (for worker threads) or a plain ArrayBuffer. */
export function allocF64(length: number, shared: boolean): Float64Array {
  return new Float64Array(shared ? new SharedArrayBuffer(length * 8) : new ArrayBuffer(length * 8));
}

/** A Uint32Array on a SharedArrayBuffer or a plain ArrayBuffer. */
export function allocU32(length: number, shared: boolean): Uint32Array {
  return new Uint32Array(shared ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
}

/** The kernel context over `inputs` with a freshly allocated histogram pool and scratch. */
export function kernelContext(inputs: LeafJobInputs, usable: Uint8Array, shared: boolean): KernelContext {
  const slotSize = inputs.binOffset[inputs.numFeatures] * 2;
  return {
    bins: inputs.bins,
    numFeatures: inputs.numFeatures,
    numRows: inputs.numRows,
    binOffset: inputs.binOffset,
    numBins: inputs.numBins,
    usable,
    rows: inputs.rows,
    grad: inputs.grad,
    hess: inputs.hess,
    hist: allocF64(slotSize * inputs.numSlots, shared),
    slotSize,
    columns: inputs.columns,
    leftOut: allocU32(inputs.numRows, shared),
    rightOut: allocU32(inputs.numRows, shared),
  };
}

/** A runner doing every job on the calling thread. */
export function createSerialLeafJobRunner(inputs: LeafJobInputs): LeafJobRunner {
  const ctx = kernelContext(inputs, new Uint8Array(inputs.numFeatures), false);
  const job = new Float64Array(JOB_SIZE);
  const results = new Float64Array(2 * RESULT_SIZE);
  return {
    pool: ctx.hist, slotSize: ctx.slotSize, numThreads: 1, job, results, usable: ctx.usable, leftOut: ctx.leftOut, rightOut: ctx.rightOut,
    run() {
      runJob(ctx, 0, inputs.numFeatures, 0, 1, job, results, 0);
    },
    close() {},
  };
}
