/** Rolling kernels against naive window loops, with ties, warm-up starts and recomputation boundaries. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import {
  RECOMPUTE_EVERY,
  ema,
  rollingArgExtreme,
  rollingCo,
  rollingCountPositive,
  rollingMax,
  rollingMin,
  rollingShape,
  rollingStd,
  rollingSum,
  sma,
  wilder,
  windowChanges,
  wma,
} from '../../../src/features/kernels/rolling.js';

const rng = new Rng(99);
const len = 3 * RECOMPUTE_EVERY + 17;
// values rounded to a coarse grid so that ties and exact repeats occur
const x = Float64Array.from({ length: len }, () => 1000 + Math.round(rng.normal() * 4) / 4);
const y = Float64Array.from({ length: len }, () => rng.normal());

function naive(i: number, n: number, f: (w: number[]) => number, start = 0): number {
  if (i - n + 1 < start) return NaN;
  return f(Array.from(x.subarray(i - n + 1, i + 1)));
}

function expectClose(a: Float64Array, b: (i: number) => number, tol = 1e-10): void {
  for (let i = 0; i < a.length; i++) {
    const e = b(i);
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a[i])) expect.fail(`row ${i}: expected NaN, got ${a[i]}`);
    } else if (!(Math.abs(a[i] - e) <= tol * Math.max(1, Math.abs(e)))) {
      expect.fail(`row ${i}: expected ${e}, got ${a[i]}`);
    }
  }
}

const mean = (w: number[]) => w.reduce((s, v) => s + v, 0) / w.length;

describe('rolling kernels', () => {
  for (const [n, start] of [[1, 0], [5, 0], [20, 3], [300, 0]] as const) {
    it(`sum, mean, std, wma, deque extremes and change counts match naive loops (n=${n}, start=${start})`, () => {
      expectClose(rollingSum(x, n, start), (i) => naive(i, n, (w) => w.reduce((s, v) => s + v, 0), start));
      expectClose(sma(x, n, start), (i) => naive(i, n, mean, start));
      expectClose(rollingStd(x, n, 0, start), (i) => naive(i, n, (w) => Math.sqrt(mean(w.map((v) => (v - mean(w)) ** 2))), start), 1e-8);
      expectClose(wma(x, n, start), (i) => naive(i, n, (w) => w.reduce((s, v, k) => s + (k + 1) * v, 0) / ((n * (n + 1)) / 2), start));
      expectClose(rollingMax(x, n, start), (i) => naive(i, n, (w) => Math.max(...w), start), 0);
      expectClose(rollingMin(x, n, start), (i) => naive(i, n, (w) => Math.min(...w), start), 0);
      const hi = rollingArgExtreme(x, n, true, start);
      const lo = rollingArgExtreme(x, n, false, start);
      for (let i = start + n - 1; i < len; i++) {
        const w = Array.from(x.subarray(i - n + 1, i + 1));
        expect(hi[i]).toBe(i - n + 1 + w.lastIndexOf(Math.max(...w)));
        expect(lo[i]).toBe(i - n + 1 + w.lastIndexOf(Math.min(...w)));
      }
      const changes = windowChanges(x, n, start);
      for (let i = start + n - 1; i < len; i++) {
        let c = 0;
        for (let j = i - n + 2; j <= i; j++) if (x[j] !== x[j - 1]) c++;
        expect(changes[i]).toBe(c);
      }
    });
  }

  it('ema and wilder are seeded with the mean of the first n values from start', () => {
    const e = ema(x, 10, 4);
    expect(Number.isNaN(e[12])).toBe(true);
    expect(e[13]).toBeCloseTo(naive(13, 10, mean), 10);
    expect(e[14]).toBeCloseTo(e[13] + (2 / 11) * (x[14] - e[13]), 10);
    const w = wilder(x, 10);
    expect(w[9]).toBeCloseTo(naive(9, 10, mean), 10);
    expect(w[10]).toBeCloseTo((w[9] * 9 + x[10]) / 10, 10);
  });

  it('correlation, beta, skew and kurtosis match two-pass formulas', () => {
    const n = 40;
    const corr = rollingCo(x, y, n, 'corr');
    const beta = rollingCo(x, y, n, 'beta');
    const skew = rollingShape(y, n, 'skew');
    const kurt = rollingShape(y, n, 'kurt');
    for (let i = n - 1; i < len; i += 7) {
      const a = Array.from(x.subarray(i - n + 1, i + 1));
      const b = Array.from(y.subarray(i - n + 1, i + 1));
      const ma = mean(a);
      const mb = mean(b);
      const cov = mean(a.map((v, k) => (v - ma) * (b[k] - mb)));
      const va = mean(a.map((v) => (v - ma) ** 2));
      const vb = mean(b.map((v) => (v - mb) ** 2));
      expect(corr[i]).toBeCloseTo(cov / Math.sqrt(va * vb), 9);
      expect(beta[i]).toBeCloseTo(cov / vb, 9);
      expect(skew[i]).toBeCloseTo(mean(b.map((v) => (v - mb) ** 3)) / vb ** 1.5, 9);
      expect(kurt[i]).toBeCloseTo(mean(b.map((v) => (v - mb) ** 4)) / vb ** 2 - 3, 9);
    }
  });

  it('positive counts are exact and constant windows have exactly zero variance', () => {
    const z = Float64Array.from({ length: 600 }, (_, i) => (i < 300 ? 1e6 * Math.abs(Math.sin(i)) : 0));
    const count = rollingCountPositive(z, 20);
    expect(count[299]).toBe(20);
    expect(count[319]).toBe(0);
    const flat = Float64Array.from({ length: 600 }, (_, i) => (i < 300 ? Math.sin(i) : 0.5));
    expect(rollingStd(flat, 20, 1)[599]).toBe(0);
    expect(rollingCo(flat, y.subarray(0, 600), 20, 'corr')[599]).toBe(0);
    expect(rollingShape(flat, 20, 'skew')[599]).toBe(0);
  });
});
