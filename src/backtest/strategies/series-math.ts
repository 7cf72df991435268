/**
 * Small causal indicator kernels for the rule strategies (each value uses bars up to its own index only).
 * Warm-up values are NaN.
 */

/** Simple moving average of the last n values; NaN for the first n - 1. Running sum, refreshed every 1024 rows. */
export function simpleMovingAverage(x: Float64Array, n: number): Float64Array {
  const len = x.length;
  const out = new Float64Array(len).fill(NaN);
  let sum = 0;
  for (let i = 0; i < len; i++) {
    sum += x[i];
    if (i >= n) sum -= x[i - n];
    if ((i & 1023) === 1023 && i >= n - 1) {
      // Recompute so rounding from the running updates cannot accumulate over long series.
      sum = 0;
      for (let j = i - n + 1; j <= i; j++) sum += x[j];
    }
    if (i >= n - 1) out[i] = sum / n;
  }
  return out;
}

/**
 * Wilder's RSI over n bars (0..100): average gain and loss seeded with the simple mean of the first n changes and
 * smoothed with alpha 1/n. First value at index n. A window without losses gives 100 (0 when it has no gains either: 50).
 */
export function wilderRsi(close: Float64Array, n: number): Float64Array {
  const len = close.length;
  const out = new Float64Array(len).fill(NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < len; i++) {
    const d = close[i] - close[i - 1];
    const g = d > 0 ? d : 0;
    const l = d < 0 ? -d : 0;
    if (i <= n) {
      gain += g / n;
      loss += l / n;
    } else {
      gain += (g - gain) / n;
      loss += (l - loss) / n;
    }
    if (i >= n) out[i] = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

/**
 * Highest of `x` over the n bars before each index (the bar itself excluded): out[i] = max(x[i-n..i-1]); NaN for
 * i < n. Monotonic deque, O(len).
 */
export function priorHighest(x: Float64Array, n: number): Float64Array {
  return priorExtreme(x, n, true);
}

/** Lowest of `x` over the n bars before each index (the bar itself excluded); NaN for i < n. */
export function priorLowest(x: Float64Array, n: number): Float64Array {
  return priorExtreme(x, n, false);
}

function priorExtreme(x: Float64Array, n: number, max: boolean): Float64Array {
  const len = x.length;
  const out = new Float64Array(len).fill(NaN);
  const deque = new Int32Array(len);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < len; i++) {
    if (i >= n) {
      while (head < tail && deque[head] < i - n) head++;
      out[i] = x[deque[head]];
    }
    const v = x[i];
    while (head < tail && (max ? x[deque[tail - 1]] <= v : x[deque[tail - 1]] >= v)) tail--;
    deque[tail++] = i;
  }
  return out;
}
