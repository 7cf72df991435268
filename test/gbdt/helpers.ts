/** Synthetic problems for the GBDT training tests (seeded, small enough for fast tests). */
import { Rng } from '../../src/core/rng.js';

/** A row-major feature matrix and labels. */
export interface Problem {
  X: Float64Array;
  y: Float64Array;
  numRows: number;
  numFeatures: number;
}

/** Rows x features of standard normal features and a label from `label(row values, rng)`. */
export function makeProblem(numRows: number, numFeatures: number, seed: number, label: (x: Float64Array, rng: Rng) => number): Problem {
  const rng = new Rng(seed);
  const X = new Float64Array(numRows * numFeatures);
  const y = new Float64Array(numRows);
  const row = new Float64Array(numFeatures);
  for (let i = 0; i < numRows; i++) {
    for (let f = 0; f < numFeatures; f++) row[f] = X[i * numFeatures + f] = rng.normal();
    y[i] = label(row, rng);
  }
  return { X, y, numRows, numFeatures };
}

/** Root mean squared difference. */
export function rmseOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}
