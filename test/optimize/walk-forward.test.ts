/**
 * Walk-forward optimisation: the window splitter (segment boundaries, the label-horizon purge, rolling against
 * anchored in-sample bars, gaps in the labelled rows), the check of window sizes, and the efficiency and parameter
 * stability figures against hand-computed values.
 */
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { mix32 } from '../../src/core/rng.js';
import { leaks } from '../../src/evaluation/splits.js';
import { categoricalDist as categorical, floatDist, intDist } from '../../src/optimize/space.js';
import { meanEfficiency, parameterStability, windowEfficiency } from '../../src/optimize/walk-forward/summary.js';
import { checkWindows, windowSeed, windowStudyName } from '../../src/optimize/walk-forward/run.js';
import { walkForwardWindows, type WalkForwardWindow } from '../../src/optimize/walk-forward/windows.js';

const range = (from: number, to: number) => Uint32Array.from({ length: to - from }, (_, i) => from + i);
const plain = (ws: WalkForwardWindow[]) => ws.map((w) => ({ index: w.index, inSample: [...w.inSample], outOfSample: [...w.outOfSample], purged: w.purged }));

describe('walkForwardWindows', () => {
  it('cuts N + 1 equal segments, the first with the remainder; rolling in-sample is the segment before', () => {
    // 22 rows, 3 windows: block 5, segment 0 = rows 0..6 (7 rows), then 7..11, 12..16, 17..21
    expect(plain(walkForwardWindows(range(0, 22), { windows: 3, scheme: 'rolling', horizon: 0 }))).toEqual([
      { index: 1, inSample: [0, 1, 2, 3, 4, 5, 6], outOfSample: [7, 8, 9, 10, 11], purged: 0 },
      { index: 2, inSample: [7, 8, 9, 10, 11], outOfSample: [12, 13, 14, 15, 16], purged: 0 },
      { index: 3, inSample: [12, 13, 14, 15, 16], outOfSample: [17, 18, 19, 20, 21], purged: 0 },
    ]);
  });

  it('purges the in-sample rows whose label window reaches the out-of-sample segment (t + horizon < first out-of-sample row)', () => {
    expect(plain(walkForwardWindows(range(0, 22), { windows: 3, scheme: 'rolling', horizon: 2 }))).toEqual([
      { index: 1, inSample: [0, 1, 2, 3, 4], outOfSample: [7, 8, 9, 10, 11], purged: 2 },
      { index: 2, inSample: [7, 8, 9], outOfSample: [12, 13, 14, 15, 16], purged: 2 },
      { index: 3, inSample: [12, 13, 14], outOfSample: [17, 18, 19, 20, 21], purged: 2 },
    ]);
  });

  it('anchored: every row before the out-of-sample segment, purged the same way', () => {
    expect(plain(walkForwardWindows(range(0, 22), { windows: 3, scheme: 'anchored', horizon: 2 }))).toEqual([
      { index: 1, inSample: [0, 1, 2, 3, 4], outOfSample: [7, 8, 9, 10, 11], purged: 2 },
      { index: 2, inSample: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], outOfSample: [12, 13, 14, 15, 16], purged: 2 },
      { index: 3, inSample: [...range(0, 15)], outOfSample: [17, 18, 19, 20, 21], purged: 2 },
    ]);
  });

  it('purges by bar position, so a gap in the labelled rows counts as bars', () => {
    // rows 5..10 and 20..25 (a gap of unlabelled bars 11..19), 2 windows of horizon 3: block 4
    const rows = Uint32Array.from([5, 6, 7, 8, 9, 10, 20, 21, 22, 23, 24, 25]);
    expect(plain(walkForwardWindows(rows, { windows: 2, scheme: 'rolling', horizon: 3 }))).toEqual([
      { index: 1, inSample: [5], outOfSample: [9, 10, 20, 21], purged: 3 },
      { index: 2, inSample: [9, 10], outOfSample: [22, 23, 24, 25], purged: 2 },
    ]);
  });

  it.each([
    ['rolling', 1, 5, 0], ['rolling', 7, 4, 5], ['anchored', 5, 6, 2], ['anchored', 12, 3, 1],
  ] as const)('%s, horizon %i, %i windows, offset %i: out-of-sample segments tile the tail, no label leaks', (scheme, horizon, windows, offset) => {
    const rows = range(offset, offset + 300);
    const ws = walkForwardWindows(rows, { windows, scheme, horizon });
    expect(ws).toHaveLength(windows);
    const block = Math.floor(300 / (windows + 1));
    const tail = ws.flatMap((w) => [...w.outOfSample]);
    expect(tail).toEqual([...rows.slice(300 - windows * block)]);
    for (const w of ws) {
      expect(w.outOfSample.length).toBe(block);
      expect(leaks({ train: w.inSample, valid: w.outOfSample }, horizon)).toBe(false);
      expect(w.inSample[w.inSample.length - 1] + horizon).toBe(w.outOfSample[0] - 1);
      expect(w.inSample[0]).toBe(scheme === 'anchored' || w.index === 1 ? offset : ws[w.index - 2].outOfSample[0]);
    }
  });
});

describe('checkWindows', () => {
  const request = { cv: 'walk-forward' as const, folds: 5, window: { kind: 'expanding' as const }, embargo: 1, target: { horizon: 1 } } as Parameters<typeof checkWindows>[3];

  it('passes windows that fit and refuses too many, naming the first short window and the most that fit', () => {
    // 820 rows: 6 windows give blocks of 117 (116 after the purge, what 5 folds need); 7 give 102, and a segment 0 of 820 - 7 * 102 = 106
    expect(checkWindows(range(0, 820), 6, 'rolling', request)).toHaveLength(6);
    let error: unknown;
    try {
      checkWindows(range(0, 820), 30, 'rolling', request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe('--walk-forward 30 leaves 39 in-sample bars in window 1 (after purging the 1-bar label horizon), too few for 5 walk-forward folds, which need 116 (820 labelled bars in all)');
    expect((error as DataError).hint).toBe('use --walk-forward 6 or fewer, or lower --folds');
    expect(() => checkWindows(range(0, 820), 7, 'rolling', request)).toThrow('--walk-forward 7 leaves 105 in-sample bars in window 1');
  });

  it('suggests --wf-anchored when anchored windows would fit', () => {
    // 584 rows, 4 windows: blocks of 116 (115 after the purge, one short), segment 0 has 120 (119 after it)
    let error: unknown;
    try {
      checkWindows(range(0, 584), 4, 'rolling', request);
    } catch (e) {
      error = e;
    }
    expect((error as DataError).message).toBe('--walk-forward 4 leaves 115 in-sample bars in window 2 (after purging the 1-bar label horizon), too few for 5 walk-forward folds, which need 116 (584 labelled bars in all)');
    expect((error as DataError).hint).toBe('use --walk-forward 3 or fewer, or --wf-anchored, or lower --folds');
    expect(checkWindows(range(0, 584), 4, 'anchored', request).map((w) => w.inSample.length)).toEqual([119, 235, 351, 467]);
  });
});

describe('window studies', () => {
  it('are named NAME.wf<k> and seeded mix32(seed, k)', () => {
    expect(windowStudyName('acme', 3)).toBe('acme.wf3');
    expect(windowSeed(42, 1)).toBe(mix32(42, 1));
    expect(new Set([1, 2, 3].map((k) => windowSeed(42, k))).size).toBe(3);
  });
});

describe('walk-forward efficiency', () => {
  it.each([
    [0.02, 0.04, 'minimize', 0.5],
    [0.03, 0.02, 'minimize', 1.5],
    [0, 0.02, 'minimize', 0],
    [0.02, 0, 'minimize', null],
    [1.5, 0.75, 'maximize', 0.5],
    [0.5, -1, 'maximize', -2],
    [-0.5, 1, 'maximize', null],
    [0, 1, 'maximize', null],
    [1, null, 'maximize', null],
    [0.1, null, 'minimize', null],
  ] as const)('in sample %d, out of sample %s, %s: %s', (is, oos, direction, expected) => {
    expect(windowEfficiency(is, oos, direction)).toBe(expected);
  });

  it('means the defined efficiencies', () => {
    expect(meanEfficiency([0.5, null, 1])).toEqual({ mean: 0.75, windows: 2 });
    expect(meanEfficiency([null, null])).toEqual({ mean: null, windows: 0 });
    expect(meanEfficiency([])).toEqual({ mean: null, windows: 0 });
  });
});

describe('parameter stability', () => {
  const space = { alpha: floatDist(0.01, 10), n: intDist(1, 9), kind: categorical(['a', 'b', 'c']), bins: categorical([63, 127, 255]) };

  it('numeric: values, mean, population std and std / |mean|; categorical: modal value and its share', () => {
    const s = parameterStability(space, [
      { alpha: 1, n: 2, kind: 'a', bins: 63 },
      { alpha: 2, n: 2, kind: 'b', bins: 63 },
      { alpha: 3, n: 2, kind: 'a', bins: 127 },
    ]);
    expect(s.alpha).toMatchObject({ kind: 'numeric', values: [1, 2, 3], mean: 2 });
    // std = sqrt(((1-2)^2 + 0 + (3-2)^2) / 3) = sqrt(2/3)
    expect(s.alpha.kind === 'numeric' && s.alpha.std).toBeCloseTo(0.816496580927726, 14);
    expect(s.alpha.kind === 'numeric' && s.alpha.cv).toBeCloseTo(0.408248290463863, 14);
    expect(s.n).toEqual({ kind: 'numeric', values: [2, 2, 2], mean: 2, std: 0, cv: 0 });
    expect(s.kind).toEqual({ kind: 'categorical', values: ['a', 'b', 'a'], mode: 'a', modeShare: 2 / 3 });
    // a categorical of numbers is still categorical
    expect(s.bins).toEqual({ kind: 'categorical', values: [63, 63, 127], mode: 63, modeShare: 2 / 3 });
  });

  it('a mean of 0 has no coefficient of variation; ties go to the first value; a missing value is null and not counted', () => {
    const s = parameterStability(space, [{ alpha: -1, kind: 'b' }, { alpha: 1, kind: 'a' }, { kind: 'c' }]);
    expect(s.alpha).toEqual({ kind: 'numeric', values: [-1, 1, null], mean: 0, std: 1, cv: null });
    expect(s.kind).toEqual({ kind: 'categorical', values: ['b', 'a', 'c'], mode: 'b', modeShare: 1 / 3 });
    expect(s.n).toBeUndefined();
  });
});
