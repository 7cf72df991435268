/**
 * Where the learner's large arrays live. `heapAllocator` gives ordinary (or, for worker threads, shared) array
 * buffers. `KernelArena` carves them out of one shared WebAssembly memory so that the WebAssembly histogram kernel
 * (histogram.wat) can read the bin codes, row indices, gradients and hessians and write the histogram pool in
 * place: a typed array's `byteOffset` is its address in the kernel's memory. Building histograms is most of the
 * training time, and the WebAssembly loop runs it about twice as fast as the same loop in JavaScript, with
 * bit-identical sums (each bin still receives its rows in row order). Batch prediction lays its forest, rows and
 * scores out the same way for the prediction kernel (predict.wat).
 *
 * The arena is sized once, up front, and never grows (growing would detach nothing on a shared memory, but every
 * view would have to be rebuilt); when WebAssembly is unavailable or the arrays exceed its 4 GiB address space,
 * callers keep the JavaScript kernels on the heap.
 */
import { HISTOGRAM_WASM_BASE64 } from './histogram-wasm.js';
import { PREDICT_WASM_BASE64 } from './predict-wasm.js';

/** Allocates the learner's arrays; `shared` arrays are visible to worker threads. */
export interface BufferAllocator {
  readonly shared: boolean;
  u8(length: number): Uint8Array;
  u16(length: number): Uint16Array;
  u32(length: number): Uint32Array;
  i32(length: number): Int32Array;
  f64(length: number): Float64Array;
}

type Ctor<T> = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T; readonly BYTES_PER_ELEMENT: number };

/** Plain heap arrays, on SharedArrayBuffers when `shared`. */
export function heapAllocator(shared: boolean): BufferAllocator {
  const make = <T>(C: Ctor<T>, length: number): T =>
    new C(shared ? new SharedArrayBuffer(length * C.BYTES_PER_ELEMENT) : new ArrayBuffer(length * C.BYTES_PER_ELEMENT));
  return {
    shared,
    u8: (n) => make(Uint8Array, n),
    u16: (n) => make(Uint16Array, n),
    u32: (n) => make(Uint32Array, n),
    i32: (n) => make(Int32Array, n),
    f64: (n) => make(Float64Array, n),
  };
}

/**
 * The histogram kernel: adds gradient and hessian of rows[begin..end) into the histograms of features
 * [featStart, featEnd). Arguments ending in Ptr are byte addresses in the arena; see histogram.wat.
 */
export type HistogramKernel = (
  binsPtr: number, numFeatures: number, featStart: number, featEnd: number, binOffsetPtr: number,
  rowsPtr: number, begin: number, end: number, gradPtr: number, hessPtr: number, histPtr: number,
) => void;

const PAGE_BYTES = 65536;
/** 4 GiB: the whole 32-bit address space, the most a WebAssembly memory can hold. */
const MAX_PAGES = 65536;
const ALIGN = 64;

const compiled = new Map<string, WebAssembly.Module | null>();

/** The module assembled from `base64`, compiled once per thread; null when this runtime cannot compile it. */
function compileOnce(base64: string): WebAssembly.Module | null {
  let module = compiled.get(base64);
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    } catch {
      module = null;
    }
    compiled.set(base64, module);
  }
  return module;
}

/** The histogram kernel module (histogram.wat), or null when this runtime cannot compile it. */
export function histogramModule(): WebAssembly.Module | null {
  return compileOnce(HISTOGRAM_WASM_BASE64);
}

/** The prediction kernel module (predict.wat), or null when this runtime cannot compile it. */
export function predictModule(): WebAssembly.Module | null {
  return compileOnce(PREDICT_WASM_BASE64);
}

/** Bytes an arena needs for arrays of these byte sizes (each is 64-byte aligned). */
export function arenaBytes(sizes: readonly number[]): number {
  return sizes.reduce((sum, s) => sum + Math.ceil(s / ALIGN) * ALIGN, 0);
}

/** A fixed-size shared WebAssembly memory handing out aligned typed arrays (a bump allocator). */
export class KernelArena implements BufferAllocator {
  readonly shared = true;
  private next = 0;

  private constructor(
    /** The shared memory (post it to workers with the module: they instantiate their own kernel over it). */
    readonly memory: WebAssembly.Memory,
    readonly module: WebAssembly.Module,
    /** Size in bytes. */
    readonly capacity: number,
  ) {}

  /**
   * An arena of at least `bytes` bytes for the kernels of `module` (the histogram kernel by default), or null when
   * WebAssembly or that much shared memory is unavailable.
   */
  static create(bytes: number, module = histogramModule()): KernelArena | null {
    const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
    if (!module || pages > MAX_PAGES) return null;
    try {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      return new KernelArena(memory, module, pages * PAGE_BYTES);
    } catch {
      return null;
    }
  }

  /**
   * The kernel for uint8 (`wide` false) or uint16 bin codes, instantiated over this arena in the calling thread
   * (worker threads do the same with the module and memory posted to them).
   */
  histogramKernel(wide: boolean): HistogramKernel {
    const instance = new WebAssembly.Instance(this.module, { env: { memory: this.memory } });
    return instance.exports[wide ? 'hist16' : 'hist8'] as HistogramKernel;
  }

  /** Hand out the memory again from its start (every array taken before is then free to be overwritten). */
  reset(): void {
    this.next = 0;
  }

  private take<T>(C: Ctor<T>, length: number): T {
    const bytes = length * C.BYTES_PER_ELEMENT;
    const at = this.next;
    const end = at + Math.ceil(bytes / ALIGN) * ALIGN;
    if (end > this.capacity) throw new RangeError(`kernel arena exhausted: ${end} of ${this.capacity} bytes`);
    this.next = end;
    return new C(this.memory.buffer, at, length);
  }

  u8(length: number): Uint8Array {
    return this.take(Uint8Array, length);
  }

  u16(length: number): Uint16Array {
    return this.take(Uint16Array, length);
  }

  u32(length: number): Uint32Array {
    return this.take(Uint32Array, length);
  }

  i32(length: number): Int32Array {
    return this.take(Int32Array, length);
  }

  f64(length: number): Float64Array {
    return this.take(Float64Array, length);
  }

  f32(length: number): Float32Array {
    return this.take(Float32Array, length);
  }
}
