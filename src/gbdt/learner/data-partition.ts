/**
 * Rows of each leaf, kept as contiguous ranges of one `Uint32Array` of row indices and split in place. The
 * split is stable (rows keep their ascending order inside each child), which keeps histogram reads sequential
 * and makes results independent of anything but the data.
 */
import type { BufferAllocator } from '../kernels/memory.js';

/** Leaf-to-rows bookkeeping for one tree. */
export class DataPartition {
  /** Row indices; leaf `l` owns `indices[leafBegin[l] .. leafBegin[l] + leafCount[l])`. */
  readonly indices: Uint32Array;
  readonly leafBegin: Int32Array;
  readonly leafCount: Int32Array;
  private readonly scratch: Uint32Array;
  private used = 0;

  /** `capacity` rows at most, `maxLeaves` leaves at most; the indices come from `alloc` (the kernels read them). */
  constructor(capacity: number, maxLeaves: number, alloc: BufferAllocator) {
    this.indices = alloc.u32(capacity);
    this.scratch = new Uint32Array(capacity);
    this.leafBegin = new Int32Array(maxLeaves);
    this.leafCount = new Int32Array(maxLeaves);
  }

  /** Put `rows` (or all rows 0..count-1 when `rows` is null) in leaf 0. */
  reset(rows: Uint32Array | null, count: number): void {
    if (rows) this.indices.set(rows.subarray(0, count));
    else for (let i = 0; i < count; i++) this.indices[i] = i;
    this.used = count;
    this.leafBegin.fill(0);
    this.leafCount.fill(0);
    this.leafCount[0] = count;
  }

  /** Rows currently in the partition. */
  get numRows(): number {
    return this.used;
  }

  /**
   * Split `leaf` on one feature whose codes are `column` (indexed by row): rows whose bin is <= `thresholdBin` (or,
   * for the missing bin, when `defaultLeft`) stay in `leaf`, the others move to `newLeaf`. Returns the number of
   * rows kept on the left.
   */
  split(
    leaf: number,
    newLeaf: number,
    column: Uint8Array | Uint16Array,
    thresholdBin: number,
    missingBin: number,
    defaultLeft: boolean,
  ): number {
    const begin = this.leafBegin[leaf];
    const count = this.leafCount[leaf];
    const idx = this.indices;
    const right = this.scratch;
    let nl = begin;
    let nr = 0;
    const end = begin + count;
    for (let i = begin; i < end; i++) {
      const r = idx[i];
      const b = column[r];
      const left = b === missingBin ? defaultLeft : b <= thresholdBin;
      if (left) idx[nl++] = r;
      else right[nr++] = r;
    }
    idx.set(right.subarray(0, nr), nl);
    const leftCount = nl - begin;
    this.leafCount[leaf] = leftCount;
    this.leafBegin[newLeaf] = nl;
    this.leafCount[newLeaf] = nr;
    return leftCount;
  }
}
