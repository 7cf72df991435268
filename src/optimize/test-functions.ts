/**
 * Standard optimisation test functions (Surjanovic & Bingham's library) with their boxes and known minima: the
 * sampler quality test and `npm run bench:optimize` measure samplers on them.
 */

/** A test function with its box and known minimum. */
export interface TestFunction {
  readonly name: string;
  readonly bounds: readonly (readonly [number, number])[];
  readonly minimum: number;
  /** Trial budget the quality test uses. */
  readonly trials: number;
  readonly f: (x: number[]) => number;
}

export const BRANIN: TestFunction = {
  name: 'branin',
  bounds: [[-5, 10], [0, 15]],
  minimum: 0.397887,
  trials: 60,
  f: ([x1, x2]) => {
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];

export const HARTMANN6: TestFunction = {
  name: 'hartmann6',
  bounds: Array.from({ length: 6 }, () => [0, 1] as const),
  minimum: -3.32237,
  trials: 80,
  f: (x) => {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j] * 1e-4) ** 2;
      s += H_ALPHA[i] * Math.exp(-inner);
    }
    return -s;
  },
};

export const ROSENBROCK5: TestFunction = {
  name: 'rosenbrock5',
  bounds: Array.from({ length: 5 }, () => [-5, 10] as const),
  minimum: 0,
  trials: 60,
  f: (x) => {
    let s = 0;
    for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2;
    return s;
  },
};

export const ACKLEY5: TestFunction = {
  name: 'ackley5',
  bounds: Array.from({ length: 5 }, () => [-32.768, 32.768] as const),
  minimum: 0,
  trials: 60,
  f: (x) => {
    const d = x.length;
    const sq = x.reduce((s, v) => s + v * v, 0);
    const cos = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0);
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cos / d) + 20 + Math.E;
  },
};

/** Offsets of the categorical parameter of {@link mixedBranin}. */
export const MIXED_OFFSETS: Readonly<Record<string, number>> = { a: 0, b: 1, c: 3 };

/** Branin plus an offset chosen by a categorical parameter (minimum 0.397887 at choice "a"). */
export function mixedBranin(x1: number, x2: number, choice: string): number {
  return BRANIN.f([x1, x2]) + MIXED_OFFSETS[choice];
}
