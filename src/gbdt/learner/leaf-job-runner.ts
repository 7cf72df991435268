/**
 * Runs the learner's jobs (leaf jobs: histogram, subtraction and split search; row partitions) over all features
 * and rows. The serial runner does it on the calling thread; `parallel/leaf-job-pool.ts` splits features (leaf
 * jobs) or row chunks (partitions) between worker threads. Both expose the same shared buffers, so the learner
 * writes a job, calls `run()` and reduces the per-thread results, whatever the runner.
 */
import { heapAllocator, type BufferAllocator, type KernelArena } from '../kernels/memory.js';
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
  /**
   * Allocator of the histogram pool and of the job's small shared arrays: the kernel arena when `bins`, `rows`,
   * `grad` and `hess` were allocated from `arena`, otherwise heap arrays (shared for worker threads).
   */
  alloc: BufferAllocator;
  /** The WebAssembly kernels' memory holding the inputs, or null for the JavaScript kernels. */
  arena: KernelArena | null;
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

function copyInto<T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T {
  const copy = make(a.length);
  copy.set(a);
  return copy;
}

/**
 * The kernel context over `inputs`, for the calling thread: a freshly allocated histogram pool, the bin layout
 * and `usable` flags copied where every thread (and the WebAssembly kernel) can read them, partition scratch.
 */
export function kernelContext(inputs: LeafJobInputs): KernelContext {
  const { alloc, arena } = inputs;
  const slotSize = inputs.binOffset[inputs.numFeatures] * 2;
  const heap = heapAllocator(alloc.shared);
  return {
    bins: inputs.bins,
    numFeatures: inputs.numFeatures,
    numRows: inputs.numRows,
    binOffset: copyInto(inputs.binOffset, (n) => alloc.i32(n)),
    numBins: copyInto(inputs.numBins, (n) => heap.i32(n)),
    usable: heap.u8(inputs.numFeatures),
    rows: inputs.rows,
    grad: inputs.grad,
    hess: inputs.hess,
    hist: alloc.f64(slotSize * inputs.numSlots),
    slotSize,
    columns: inputs.columns,
    leftOut: heap.u32(inputs.numRows),
    rightOut: heap.u32(inputs.numRows),
    histWasm: arena ? arena.histogramKernel(inputs.bins instanceof Uint16Array) : null,
  };
}

/** A runner doing every job on the calling thread. */
export function createSerialLeafJobRunner(inputs: LeafJobInputs): LeafJobRunner {
  const ctx = kernelContext(inputs);
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
