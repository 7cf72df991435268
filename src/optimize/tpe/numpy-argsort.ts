/**
 * NumPy 1.24's default `argsort` (kind="quicksort": introsort with median-of-three partitioning, insertion sort
 * below 17 elements and heapsort past a depth limit, `npysort/quicksort.cpp` `aquicksort_`). It is not stable, and
 * Optuna's Parzen estimator assigns bandwidths through it, so equal observations (common for integer parameters)
 * get their bandwidths in exactly NumPy's order only if pulse sorts exactly as NumPy does.
 */

const SMALL_QUICKSORT = 15;

/** NumPy's float order: NaN sorts last. */
function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

function msb(n: number): number {
  let depth = 0;
  while ((n >>= 1) > 0) depth++;
  return depth;
}

/** Indices that sort `v` ascending, in the order NumPy's default argsort returns them. */
export function numpyArgsort(v: ArrayLike<number>): Int32Array {
  const n = v.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (n < 2) return idx;
  const swap = (i: number, j: number): void => {
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = n - 1;
  let cdepth = msb(n) * 2;
  for (;;) {
    if (cdepth < 0) {
      heapsort(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (less(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        if (less(v[idx[pr]], v[idx[pm]])) swap(pr, pm);
        if (less(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        const vp = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi; while (less(v[idx[pi]], vp));
          do --pj; while (less(vp, v[idx[pj]]));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = idx[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && less(vp, v[idx[pj - 1]])) {
          idx[pj] = idx[pj - 1];
          pj--;
        }
        idx[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depths.pop()!;
  }
  return idx;
}

/** NumPy's `aheapsort_` on idx[start .. start + n). */
function heapsort(v: ArrayLike<number>, idx: Int32Array, start: number, n: number): void {
  // 1-based heap indexing as in NumPy: a[k] is idx[start + k - 1].
  const get = (k: number): number => idx[start + k - 1];
  const set = (k: number, x: number): void => {
    idx[start + k - 1] = x;
  };
  /** Sift `tmp` down from 1-based position `i` within the first `end` entries (NumPy's inner heap loop). */
  const siftDown = (tmp: number, i: number, end: number) => {
    for (let j = i << 1; j <= end;) {
      if (j < end && less(v[get(j)], v[get(j + 1)])) j += 1;
      if (less(v[tmp], v[get(j)])) {
        set(i, get(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  };
  for (let l = n >> 1; l > 0; --l) siftDown(get(l), l, n);
  for (; n > 1;) {
    const tmp = get(n);
    set(n, get(1));
    n -= 1;
    siftDown(tmp, 1, n);
  }
}
