import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { holdOutTail, leaks, makeSplits, minimumRows, purgedKFoldSplits, walkForwardSplits, type CvOptions } from '../../src/evaluation/splits.js';

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
const rows = (a: number[]): Uint32Array => Uint32Array.from(a);
const list = (a: Uint32Array): number[] => Array.from(a);
const opts = (o: Partial<CvOptions>): CvOptions => ({
  scheme: 'walk-forward', folds: 3, horizon: 0, embargo: 0, window: { kind: 'expanding' }, minTrainRows: 1, minValidRows: 1, ...o,
});

describe('walk-forward splits: exact boundaries', () => {
  it('cuts folds + 1 blocks and purges the horizon before each validation block', () => {
    // 20 rows, 3 folds -> blocks of 5; validation starts at 5, 10, 15; horizon 2 drops the 2 rows before each
    const splits = walkForwardSplits(rows(range(0, 20)), opts({ horizon: 2 }));
    expect(splits.map((s) => list(s.valid))).toEqual([range(5, 10), range(10, 15), range(15, 20)]);
    expect(splits.map((s) => list(s.train))).toEqual([range(0, 3), range(0, 8), range(0, 13)]);
  });

  it('gives the remainder to the first training block', () => {
    const splits = walkForwardSplits(rows(range(0, 23)), opts({ folds: 2 }));
    expect(splits.map((s) => list(s.valid))).toEqual([range(9, 16), range(16, 23)]);
    expect(list(splits[0].train)).toEqual(range(0, 9));
  });

  it('keeps only the last N bars in a rolling window', () => {
    const splits = walkForwardSplits(rows(range(0, 20)), opts({ horizon: 1, window: { kind: 'rolling', size: 4 } }));
    expect(splits.map((s) => list(s.train))).toEqual([range(0, 4), range(5, 9), range(10, 14)]);
  });

  it('measures the purge in bars, across gaps of unlabelled rows', () => {
    // rows 6 and 7 have no label: validation of the last fold starts at bar 10; horizon 3 keeps bars < 7
    const labelled = rows([0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13]);
    const [, last] = walkForwardSplits(labelled, opts({ folds: 2, horizon: 3 }));
    expect(list(last.valid)).toEqual([10, 11, 12, 13]);
    expect(list(last.train)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('purged k-fold splits: exact boundaries', () => {
  it('purges the horizon on both sides and embargoes after the block', () => {
    // 12 rows, 3 folds of 4; horizon 1, embargo 2
    const splits = purgedKFoldSplits(rows(range(0, 12)), opts({ scheme: 'purged-kfold', horizon: 1, embargo: 2 }));
    expect(splits.map((s) => list(s.valid))).toEqual([range(0, 4), range(4, 8), range(8, 12)]);
    // fold 1 [0,3]: drop 4 (horizon) and 5, 6 (embargo)
    expect(list(splits[0].train)).toEqual(range(7, 12));
    // fold 2 [4,7]: drop 3 before, 8 after (horizon) and 9, 10 (embargo)
    expect(list(splits[1].train)).toEqual([0, 1, 2, 11]);
    // fold 3 [8,11]: drop 7 before
    expect(list(splits[2].train)).toEqual(range(0, 7));
  });

  it('gives the first n mod k blocks one extra row', () => {
    const splits = purgedKFoldSplits(rows(range(0, 11)), opts({ scheme: 'purged-kfold' }));
    expect(splits.map((s) => s.valid.length)).toEqual([4, 4, 3]);
  });
});

describe('no label overlap on random configurations (property test)', () => {
  it('walk-forward and purged k-fold never leak, and validation blocks partition their share', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 400; trial++) {
      const n = 30 + rng.int(400);
      const dropRate = rng.next() * 0.3;
      const labelled: number[] = [];
      for (let i = 0; i < n; i++) if (!rng.bernoulli(dropRate)) labelled.push(i);
      const o = opts({
        scheme: rng.bernoulli(0.5) ? 'walk-forward' : 'purged-kfold',
        folds: 2 + rng.int(6),
        horizon: rng.int(12),
        embargo: rng.int(8),
        window: rng.bernoulli(0.5) ? { kind: 'expanding' } : { kind: 'rolling', size: 5 + rng.int(100) },
      });
      const r = rows(labelled);
      const isLabelled = new Set(labelled);
      const splits = o.scheme === 'walk-forward' ? walkForwardSplits(r, o) : purgedKFoldSplits(r, o);
      expect(splits).toHaveLength(o.folds);
      const seen = new Set<number>();
      for (const s of splits) {
        expect(leaks(s, o.horizon, o.scheme === 'purged-kfold' ? o.embargo : 0)).toBe(false);
        const before = seen.size;
        for (const v of s.valid) seen.add(v);
        expect(seen.size - before).toBe(s.valid.length);
        expect(s.train.every((t) => isLabelled.has(t))).toBe(true);
        if (o.scheme === 'walk-forward' && s.valid.length > 0 && s.train.length > 0) {
          expect(s.train[s.train.length - 1] + o.horizon).toBeLessThan(s.valid[0]);
          if (o.window.kind === 'rolling') expect(s.valid[0] - o.horizon - 1 - s.train[0]).toBeLessThan(o.window.size);
        }
      }
      if (o.scheme === 'purged-kfold') expect(seen.size).toBe(labelled.length);
    }
  });

  it('a brute-force pairwise check agrees: no training window [t, t+h] meets a validation window', () => {
    const rng = new Rng(99);
    for (let trial = 0; trial < 150; trial++) {
      const labelled = range(0, 40 + rng.int(80)).filter(() => !rng.bernoulli(0.2));
      const o = opts({ scheme: rng.bernoulli(0.5) ? 'walk-forward' : 'purged-kfold', folds: 2 + rng.int(4), horizon: rng.int(8), embargo: rng.int(5) });
      for (const s of o.scheme === 'walk-forward' ? walkForwardSplits(rows(labelled), o) : purgedKFoldSplits(rows(labelled), o)) {
        if (s.valid.length === 0) continue;
        const last = s.valid[s.valid.length - 1];
        let bad = 0;
        for (const t of s.train) {
          for (const v of s.valid) if (Math.abs(t - v) <= o.horizon) bad++;
          if (o.scheme === 'purged-kfold' && t > last && t <= last + o.horizon + o.embargo) bad++;
        }
        expect(bad).toBe(0);
      }
    }
  });

  it('purging is tight: one bar less of purge would leak', () => {
    const splits = purgedKFoldSplits(rows(range(0, 30)), opts({ scheme: 'purged-kfold', horizon: 3 }));
    expect(leaks(splits[1], 3)).toBe(false);
    expect(leaks(splits[1], 4)).toBe(true);
  });

  it('the leak check itself catches overlaps on both sides and embargo violations', () => {
    expect(leaks({ train: rows([2]), valid: rows([5, 6]) }, 3)).toBe(true);
    expect(leaks({ train: rows([1]), valid: rows([5, 6]) }, 3)).toBe(false);
    expect(leaks({ train: rows([9]), valid: rows([5, 6]) }, 3)).toBe(true);
    expect(leaks({ train: rows([10]), valid: rows([5, 6]) }, 3)).toBe(false);
    expect(leaks({ train: rows([11]), valid: rows([5, 6]) }, 3, 2)).toBe(true);
  });
});

describe('test tail', () => {
  it('holds out the last share of labelled rows with the purge before it', () => {
    const { development, test } = holdOutTail(rows(range(0, 100)), 0.15, 5);
    expect(list(test)).toEqual(range(85, 100));
    expect(development[development.length - 1]).toBe(79);
    expect(list(holdOutTail(rows(range(0, 10)), 0, 5).test)).toEqual([]);
    expect(() => holdOutTail(rows(range(0, 10)), 0.95, 0)).toThrow(UsageError);
  });
});

describe('too few bars', () => {
  it('says how many labelled rows are needed, and that number is exact', () => {
    const o = opts({ folds: 5, horizon: 5, minTrainRows: 20, minValidRows: 10 });
    const need = minimumRows(o);
    expect(() => makeSplits(rows(range(0, need)), o)).not.toThrow();
    expect(() => makeSplits(rows(range(0, need - 1)), o)).toThrow(DataError);
    expect(() => makeSplits(rows(range(0, 40)), o)).toThrow(new RegExp(`40 labelled rows are available for cross-validation, at least ${need} are needed`));
    const k = opts({ scheme: 'purged-kfold', folds: 4, horizon: 3, embargo: 2, minTrainRows: 20, minValidRows: 10 });
    const needK = minimumRows(k);
    expect(() => makeSplits(rows(range(0, needK)), k)).not.toThrow();
    expect(() => makeSplits(rows(range(0, needK - 1)), k)).toThrow(DataError);
  });

  it('rejects bad options naming them', () => {
    expect(() => makeSplits(rows(range(0, 100)), opts({ folds: 1 }))).toThrow(/folds = 1 is invalid/);
    expect(() => makeSplits(rows(range(0, 100)), opts({ horizon: -1 }))).toThrow(UsageError);
    expect(() => makeSplits(rows([3, 2]), opts({}))).toThrow(/strictly ascending/);
    expect(() => makeSplits(rows(range(0, 1000)), opts({ minTrainRows: 20, window: { kind: 'rolling', size: 10 } })))
      .toThrow(/rolling window of 10 bars is shorter than the 20 training rows a fold needs/);
  });
});
