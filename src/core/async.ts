/** Small async utilities shared by sources and long-running jobs. */
import { InterruptedError } from './errors.js';

/**
 * Run `task` over `items` with at most `limit` in flight; results keep the input order. A rejected task does not
 * stop the others: each outcome is reported as settled.
 */
export async function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await task(items[i], i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Settle with `promise`, or reject with an InterruptedError as soon as `signal` aborts (the underlying work is
 * abandoned; use it for waits that cannot be cancelled themselves, such as reading stdin).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new InterruptedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * A safe point in a long computation: `await pace()` between steps (boosting iterations, folds, segments). Node
 * runs signal handlers only between tasks, so synchronous work would hold Ctrl-C off until it ends; a pace yields
 * to the event loop once per `sliceMs` of work, letting the handler abort the signal, and then throws an
 * InterruptedError at the step boundary, where nothing is half done.
 */
export type Pace = () => Promise<void>;

/** A pace that never yields or stops (library callers without a signal, tests). */
export const noPace: Pace = async () => {};

/** A {@link Pace} that yields every `sliceMs` (default 50) and stops once `signal` aborts. */
export function createPace(signal: AbortSignal | undefined, sliceMs = 50): Pace {
  if (!signal) return noPace;
  let last = performance.now();
  return async () => {
    if (performance.now() - last >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
    if (signal.aborted) throw new InterruptedError();
  };
}

/** Throw an InterruptedError when `signal` has aborted: a safe point between stages that do not yield. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}
