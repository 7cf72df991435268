/**
 * MFI where two bars' typical prices are equal as R computes them (one rounding of the exact mean) but an ulp or two
 * apart as (H + L + C) / 3 in doubles: pulse counts no flow there, as TTR does. Checked against TTR values written
 * by scripts/make-feature-goldens.R on a committed synthetic fixture and, with ../shared, on EURUSD-1h.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../../src/core/bars.js';
import { createComputeContext } from '../../src/features/compute.js';
import { meanOfThree } from '../../src/features/kernels/mean-of-three.js';
import { builtinRegistry } from '../../src/features/registry.js';
import { fixturePath, HAS_SHARED, sharedPath } from '../helpers/shared.js';
import { readCsvSeries } from './helpers.js';

function mfi(s: BarSeries): Float64Array {
  const r = builtinRegistry.resolve('mfi_14');
  return r.family.compute(createComputeContext(s), r.params);
}

function readColumn(path: string): number[] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((v) => (v === '' ? NaN : Number(v)));
}

/** MFI(14) deciding rose/fell on (H + L + C) / 3 as rounded in doubles: what pulse computed before. */
function mfiOnPlainTypicalPrice(s: BarSeries, n = 14): number[] {
  const tp = Array.from(s.close, (c, i) => (s.high[i] + s.low[i] + c) / 3);
  return tp.map((_, i) => {
    if (i < n) return NaN;
    let pos = 0;
    let neg = 0;
    for (let j = i - n + 1; j <= i; j++) {
      if (tp[j] > tp[j - 1]) pos += tp[j] * s.volume[j];
      if (tp[j] < tp[j - 1]) neg += tp[j] * s.volume[j];
    }
    return pos + neg > 0 ? (100 * pos) / (pos + neg) : 50;
  });
}

/** Rows where pulse's MFI is not within 1e-9 (relative, floor 1) of TTR's; NaN must match NaN. */
function mismatches(ours: Float64Array, ttr: number[]): string[] {
  const bad: string[] = [];
  ttr.forEach((t, i) => {
    const ok = Number.isNaN(t) ? Number.isNaN(ours[i]) : Math.abs(ours[i] - t) <= 1e-9 * Math.max(1, Math.abs(t));
    if (!ok) bad.push(`row ${i}: pulse ${ours[i]}, TTR ${t}`);
  });
  return bad;
}

/** The pair (i - 1, i): typical prices an ulp or two apart in doubles, equal rounded once. */
function expectRoundingTie(s: BarSeries, i: number): void {
  const plain = (k: number) => (s.high[k] + s.low[k] + s.close[k]) / 3;
  const once = (k: number) => meanOfThree(s.high[k], s.low[k], s.close[k]);
  expect(plain(i)).not.toBe(plain(i - 1));
  expect(Math.abs(plain(i) - plain(i - 1))).toBeLessThan(4 * Number.EPSILON * plain(i));
  expect(once(i)).toBe(once(i - 1));
  expect(s.volume[i]).toBeGreaterThan(0);
}

describe('MFI on typical prices equal up to rounding', () => {
  it('matches TTR on the committed cent-tick fixture (bars 20 and 21 tie)', () => {
    const s = readCsvSeries(fixturePath('features', 'mfi-ties-bars.csv'), '1h', 'TIES');
    const ttr = readColumn(fixturePath('features', 'mfi-ties-ttr.csv'));
    expect(ttr.length).toBe(s.length);
    expectRoundingTie(s, 21);
    expect(mismatches(mfi(s), ttr)).toEqual([]);
    // the fixture catches the old comparison: a false fall on bar 21 moves the 14 values whose window holds it,
    // by up to 8.7 points, and nothing else
    const plain = mfiOnPlainTypicalPrice(s);
    const off = ttr.flatMap((t, i) => (Math.abs(plain[i] - t) > 1e-9 ? [i] : []));
    expect(off).toEqual(Array.from({ length: 14 }, (_, k) => 21 + k));
    expect(Math.max(...off.map((i) => Math.abs(plain[i] - ttr[i])))).toBeGreaterThan(8);
  });

  it.skipIf(!HAS_SHARED)('matches TTR on EURUSD-1h, whose bars 596 and 597 tie', () => {
    const s = readCsvSeries(sharedPath('data', 'market', 'backtesting.py', 'EURUSD-1h.csv'), '1h', 'EURUSD');
    const ttr = readColumn(fixturePath('features', 'eurusd-1h-mfi-ttr.csv'));
    expect(ttr.length).toBe(s.length);
    expectRoundingTie(s, 597);
    expect(mismatches(mfi(s), ttr)).toEqual([]);
    const plain = mfiOnPlainTypicalPrice(s);
    expect(Math.max(...ttr.slice(597, 611).map((t, k) => Math.abs(plain[597 + k] - t)))).toBeGreaterThan(1);
  });
});
