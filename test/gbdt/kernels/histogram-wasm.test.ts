import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { arenaBytes, heapAllocator, histogramModule, KernelArena } from '../../../src/gbdt/kernels/memory.js';
import { buildHistogramKernel } from '../../../src/gbdt/learner/leaf-kernels.js';

/** Random codes, a sorted row subset and gradients, laid out in `alloc`; histograms by both kernels. */
function histograms(wide: boolean, numRows: number, numFeatures: number, featStart: number, featEnd: number) {
  const rng = new Rng(wide ? 2 : 1);
  const numBins = Int32Array.from({ length: numFeatures }, (_, f) => (wide ? 300 + 97 * f : 2 + 50 * f) % (wide ? 1000 : 257));
  const binOffsetHeap = new Int32Array(numFeatures + 1);
  for (let f = 0; f < numFeatures; f++) binOffsetHeap[f + 1] = binOffsetHeap[f] + Math.max(2, numBins[f]);
  const total = binOffsetHeap[numFeatures];
  const arena = KernelArena.create(arenaBytes([numRows * numFeatures * (wide ? 2 : 1), numRows * 4, numRows * 16, numRows * 16, (numFeatures + 1) * 4, total * 16]))!;
  const bins = wide ? arena.u16(numRows * numFeatures) : arena.u8(numRows * numFeatures);
  for (let r = 0; r < numRows; r++) {
    for (let f = 0; f < numFeatures; f++) bins[r * numFeatures + f] = Math.floor(rng.next() * Math.max(2, numBins[f]));
  }
  const rows = arena.u32(numRows);
  let count = 0;
  for (let r = 0; r < numRows; r++) if (rng.next() < 0.6) rows[count++] = r;
  // two classes of gradients: the kernel reads class 1 at gradOffset = numRows
  const grad = arena.f64(2 * numRows);
  const hess = arena.f64(2 * numRows);
  for (let i = 0; i < 2 * numRows; i++) {
    grad[i] = rng.normal();
    hess[i] = rng.next();
  }
  const binOffset = arena.i32(numFeatures + 1);
  binOffset.set(binOffsetHeap);
  const hist = arena.f64(total * 2);
  const expected = new Float64Array(total * 2);
  const begin = 3;
  buildHistogramKernel(bins, numFeatures, featStart, featEnd, binOffset, rows, begin, count, grad, hess, numRows, expected, 0);
  arena.histogramKernel(wide)(bins.byteOffset, numFeatures, featStart, featEnd, binOffset.byteOffset, rows.byteOffset, begin, count,
    grad.byteOffset + numRows * 8, hess.byteOffset + numRows * 8, hist.byteOffset);
  return { hist, expected, range: [binOffset[featStart] * 2, binOffset[featEnd] * 2] };
}

describe('WebAssembly histogram kernel', () => {
  it('compiles in this runtime', () => {
    expect(histogramModule()).not.toBeNull();
  });

  it.each([false, true])('equals the JavaScript kernel bit for bit (16-bit codes: %s)', (wide) => {
    const { hist, expected, range } = histograms(wide, 2000, 7, 2, 6);
    expect(Array.from(hist.subarray(range[0], range[1]))).toEqual(Array.from(expected.subarray(range[0], range[1])));
    expect(expected.subarray(range[0], range[1]).some((v) => v !== 0)).toBe(true);
    // features outside [featStart, featEnd) are left alone
    expect(hist.subarray(0, range[0]).every((v) => v === 0)).toBe(true);
    expect(hist.subarray(range[1]).every((v) => v === 0)).toBe(true);
  });
});

describe('KernelArena', () => {
  it('hands out 64-byte aligned arrays whose byteOffset is their address, and refuses to overflow', () => {
    const arena = KernelArena.create(arenaBytes([10, 3 * 8, 5 * 4]))!;
    const a = arena.u8(10);
    const b = arena.f64(3);
    const c = arena.i32(5);
    expect([a.byteOffset, b.byteOffset, c.byteOffset]).toEqual([0, 64, 128]);
    expect(a.buffer).toBe(arena.memory.buffer);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    // the arena is whole 64 KiB pages: exhaust them
    expect(() => arena.f64(65536 / 8)).toThrow(/kernel arena exhausted/);
  });

  it('is absent beyond the 4 GiB WebAssembly address space (callers keep heap arrays)', () => {
    expect(KernelArena.create(2 ** 32 + 1)).toBeNull();
    expect(heapAllocator(true).f64(4).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(heapAllocator(false).u16(4).buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('is embedded from the committed kernel source (scripts/build-wasm.mjs --check)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
