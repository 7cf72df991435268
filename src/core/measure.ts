/**
 * Measures of what running something costs: wall time ({@link medianMs}) and retained memory.
 *
 * Retained memory: the bytes still in use after a full garbage collection (V8's heap in use plus the array buffers
 * outside it, where typed arrays keep their data). The difference of two measures around building something, with it
 * held, is what it keeps in memory, not what building it allocated on the way.
 *
 * V8's `gc` is exposed at run time (the `--expose-gc` flag set from inside, then `gc` read from a fresh context), so
 * no command-line flag is needed; a full collection costs a few milliseconds on a small heap.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/** The exposed collector, or null when the runtime does not allow it. */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      // Two things a collection frees only later or by age would otherwise blur a difference of two measures: the
      // array buffers it found dead (swept in the background, still counted when it returns), and the bytecode of
      // functions not run lately (compiled long before, dropped between the measures).
      setFlagsFromString('--no-concurrent-array-buffer-sweeping');
      setFlagsFromString('--no-flush-bytecode');
      const gc: unknown = runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Bytes in use after a full collection (heap used plus array buffers), or null when no collection can be forced. */
export function retainedBytes(): number | null {
  const gc = collector();
  if (gc === null) return null;
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Median wall time of `fn` in milliseconds, after one warm-up call: over `calls` calls, or for about `budgetMs` when
 * that allows more (at most 5,000 calls).
 */
export function medianMs(fn: () => unknown, calls: number, budgetMs = 0): number {
  fn();
  const samples: number[] = [];
  const until = performance.now() + budgetMs;
  while (samples.length < calls || (performance.now() < until && samples.length < 5000)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}
