/**
 * Every feature of the default set against textbook definitions computed by naive window loops in
 * scripts/make-feature-goldens.py (committed output): identical warm-up rows, values within 1e-9 relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeFeatureSet } from '../../src/features/compute.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { fixturePath } from '../helpers/shared.js';
import { readCsvSeries } from './helpers.js';

const bars = readCsvSeries(fixturePath('features', 'bars.csv'), '1h', 'GOLD');
const lines = readFileSync(fixturePath('features', 'naive-goldens.csv'), 'utf8').trim().split('\n');
const header = lines[0].split(',');
const rows = lines.slice(1).map((l) => l.split(',').map((v) => (v === '' ? NaN : Number(v))));
const matrix = computeFeatureSet(DEFAULT_FEATURE_SET, bars);

describe('naive goldens of the default set', () => {
  it('cover exactly the default set, in order', () => {
    expect(header).toEqual(matrix.names);
    expect(rows.length).toBe(bars.length);
  });

  for (const [j, name] of header.entries()) {
    it(name, () => {
      const ours = matrix.columns[matrix.names.indexOf(name)];
      const theirs = rows.map((r) => r[j]);
      const scale = Math.max(...theirs.filter((v) => !Number.isNaN(v)).map(Math.abs));
      for (let i = 0; i < theirs.length; i++) {
        if (Number.isNaN(theirs[i]) || Number.isNaN(ours[i])) {
          if (Number.isNaN(theirs[i]) !== Number.isNaN(ours[i])) expect.fail(`${name} row ${i}: pulse ${ours[i]}, golden ${theirs[i]}`);
          continue;
        }
        const d = Math.abs(ours[i] - theirs[i]) / Math.max(Math.abs(theirs[i]), 1e-6 * scale, 1e-300);
        if (!(d < 1e-9)) expect.fail(`${name} row ${i}: pulse ${ours[i]}, golden ${theirs[i]} (relative ${d})`);
      }
    });
  }
});
