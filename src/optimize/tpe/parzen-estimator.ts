/**
 * The Parzen estimator of Optuna 3.1's TPE (`optuna/samplers/_tpe/parzen_estimator.py`): a mixture with one
 * component per observation plus, with `considerPrior`, a prior component, over a product of per-parameter kernels.
 *
 * - Numerical parameters live in a transformed range: log ranges in log space, stepped and integer ranges widened
 *   by half a step at each end (integer log ranges to [log(low - 0.5), log(high + 0.5)]). Kernels are truncated
 *   normals on that range; stepped ranges integrate the kernel over the value's step-wide cell.
 * - Bandwidths, univariate: each observation's sigma is the larger gap to its sorted neighbours (the range ends
 *   acting as neighbours), except that without `considerEndpoints` the first and last use their inner gap only.
 *   Multivariate: every sigma is 0.2 · n^(-1/(d + 4)) · (high - low) (Scott's rule, as BOHB).
 *   Then `considerMagicClip` clips sigmas to [(high - low) / min(100, 1 + components), high - low].
 * - The prior component sits at the range's middle with sigma = high - low, weighted `priorWeight`.
 * - Categorical parameters: each component is a distribution over the choices, priorWeight / (n + 1) everywhere
 *   (priorWeight / n without the prior) plus 1 at its observation, normalised.
 * - Mixture weights: `weights(n)` (Optuna's default_weights: flat up to 25, then an old-to-new ramp), the prior's
 *   weight appended, normalised to sum 1.
 */
import { clip, roundHalfEven as npRound, type CategoricalDistribution, type Distribution, type SearchSpace } from '../space.js';
import type { RandomSource } from '../sampler.js';
import { numpyArgsort } from './numpy-argsort.js';
import { logGaussMass, normLogPdf, truncnormPpf } from './truncnorm.js';

const EPS = 1e-12;
const SIGMA0_MAGNITUDE = 0.2;

/** Optuna's `_ParzenEstimatorParameters`. */
export interface ParzenParameters {
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  /** Component weights for n observations in trial order (see {@link defaultWeights}). */
  readonly weights: (n: number) => Float64Array;
  readonly multivariate: boolean;
}

/** Optuna's `default_weights`: 1 for up to 25 observations; beyond, a ramp from 1/n to 1 for all but the newest 25. */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const num = n - 25;
  // np.linspace(1/n, 1, num): i·step + start, with the last value set to stop exactly.
  const start = 1 / n;
  const step = (1 - start) / (num - 1);
  for (let i = 0; i < num; i++) w[i] = num === 1 ? start : i === num - 1 ? 1 : i * step + start;
  return w;
}

/** A numerical parameter's kernels, in the transformed range. */
export interface NumericalKernels {
  readonly kind: 'numerical';
  readonly low: number;
  readonly high: number;
  /** The step of a stepped range, in its transformed units; null for continuous and log ranges. */
  readonly q: number | null;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
}

/** A categorical parameter's kernels: one row of choice probabilities per component. */
export interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly probabilities: Float64Array[];
}

/** Internal-repr values of several parameters, one array per parameter. */
export type Columns = Record<string, Float64Array>;

function parzenBounds(d: Exclude<Distribution, { kind: 'categorical' }>): { low: number; high: number; q: number | null } {
  if (d.kind === 'float') {
    if (d.log) return { low: Math.log(d.low), high: Math.log(d.high), q: null };
    if (d.step !== null) return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, q: d.step };
    return { low: d.low, high: d.high, q: null };
  }
  if (d.log) return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), q: null };
  return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, q: d.step };
}

function toUniform(d: Distribution, x: number): number {
  return d.kind !== 'categorical' && d.log ? Math.log(x) : x;
}

function fromUniform(d: Distribution, q: number | null, x: number): number {
  if (d.kind === 'categorical') return x;
  if (d.kind === 'float') {
    if (d.log) return Math.exp(x);
    if (d.step !== null) return clip(npRound((x - d.low) / q!) * q! + d.low, d.low, d.high);
    return x;
  }
  if (d.log) return clip(npRound(Math.exp(x)), d.low, d.high);
  return clip(npRound((x - d.low) / q!) * q! + d.low, d.low, d.high);
}

/** Optuna 3.1's `_ParzenEstimator`. */
export class ParzenEstimator {
  /** Mixture weights (observations in trial order, then the prior), summing to 1. */
  readonly weights: Float64Array;
  /** Each parameter's kernels. */
  readonly kernels: Record<string, NumericalKernels | CategoricalKernels> = {};
  private readonly space: SearchSpace;

  /** `observations` are internal-repr values (choice indices for categorical parameters), one array per parameter. */
  constructor(observations: Columns, space: SearchSpace, params: ParzenParameters) {
    this.space = space;
    const names = Object.keys(space);
    const n = names.length === 0 ? 0 : observations[names[0]].length;
    const considerPrior = params.considerPrior || n === 0;
    const w = params.weights(n).subarray(0, n);
    const weights = new Float64Array(considerPrior ? n + 1 : n);
    weights.set(w);
    if (considerPrior) weights[n] = params.priorWeight;
    let sum = 0;
    for (const x of weights) sum += x;
    for (let i = 0; i < weights.length; i++) weights[i] /= sum;
    this.weights = weights;

    const sigma0 = params.multivariate ? SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (names.length + 4)) : null;
    for (const name of names) {
      const d = space[name];
      const obs = observations[name];
      if (d.kind === 'categorical') {
        const k = d.choices.length;
        const value = considerPrior ? params.priorWeight / (n + 1) : params.priorWeight / n;
        const rows: Float64Array[] = [];
        for (let i = 0; i < (considerPrior ? n + 1 : n); i++) {
          const row = new Float64Array(k).fill(value);
          if (i < n) row[Math.trunc(obs[i])] += 1;
          let s = 0;
          for (const x of row) s += x;
          for (let c = 0; c < k; c++) row[c] /= s;
          rows.push(row);
        }
        this.kernels[name] = { kind: 'categorical', probabilities: rows };
        continue;
      }
      const { low, high, q } = parzenBounds(d);
      const m = considerPrior ? n + 1 : n;
      const mus = new Float64Array(m);
      for (let i = 0; i < n; i++) mus[i] = toUniform(d, obs[i]);
      if (considerPrior) mus[n] = 0.5 * (low + high);
      const sigmas = new Float64Array(m);
      if (sigma0 !== null) {
        sigmas.fill(sigma0 * (high - low));
      } else {
        const order = numpyArgsort(mus);
        const ext = new Float64Array(m + 2);
        ext[0] = low;
        for (let i = 0; i < m; i++) ext[i + 1] = mus[order[i]];
        ext[m + 1] = high;
        const sorted = new Float64Array(m);
        for (let i = 0; i < m; i++) sorted[i] = Math.max(ext[i + 1] - ext[i], ext[i + 2] - ext[i + 1]);
        if (!params.considerEndpoints && ext.length >= 4) {
          sorted[0] = ext[2] - ext[1];
          sorted[m - 1] = ext[m] - ext[m - 1];
        }
        for (let i = 0; i < m; i++) sigmas[order[i]] = sorted[i];
      }
      const maxSigma = 1.0 * (high - low);
      const minSigma = params.considerMagicClip ? (1.0 * (high - low)) / Math.min(100.0, 1.0 + m) : EPS;
      for (let i = 0; i < m; i++) sigmas[i] = clip(sigmas[i], minSigma, maxSigma);
      if (considerPrior) sigmas[n] = 1.0 * (high - low);
      this.kernels[name] = { kind: 'numerical', low, high, q, mus, sigmas };
    }
  }

  /**
   * Draw `size` points (internal repr: values on the parameter's grid, choice indices), consuming uniforms in
   * Optuna's order: `size` for the components (NumPy's `choice` with p), then `size` per parameter in space order.
   */
  sample(rng: RandomSource, size: number): Columns {
    const cdf = new Float64Array(this.weights.length);
    let acc = 0;
    for (let i = 0; i < cdf.length; i++) cdf[i] = acc += this.weights[i];
    for (let i = 0; i < cdf.length; i++) cdf[i] /= acc;
    const active = new Int32Array(size);
    for (let s = 0; s < size; s++) {
      const u = rng.next();
      let k = 0; // searchsorted(cdf, u, side='right')
      while (k < cdf.length && cdf[k] <= u) k++;
      active[s] = k;
    }
    const out: Columns = {};
    for (const [name, d] of Object.entries(this.space)) {
      const kern = this.kernels[name];
      const col = new Float64Array(size);
      if (kern.kind === 'categorical') {
        for (let s = 0; s < size; s++) {
          const u = rng.next();
          const p = kern.probabilities[active[s]];
          let c = 0;
          let cum = 0;
          for (let j = 0; j < p.length; j++) if ((cum += p[j]) < u) c++;
          col[s] = c;
        }
      } else {
        for (let s = 0; s < size; s++) {
          const mu = kern.mus[active[s]];
          const sigma = kern.sigmas[active[s]];
          const x = truncnormPpf(rng.next(), (kern.low - mu) / sigma, (kern.high - mu) / sigma) * sigma + mu;
          col[s] = fromUniform(d, kern.q, x);
        }
      }
      out[name] = col;
    }
    return out;
  }

  /** Log density of the mixture at each point (internal repr), as Optuna's `log_pdf`. */
  logPdf(samples: Columns): Float64Array {
    const entries = Object.entries(this.space);
    const size = samples[entries[0][0]].length;
    const m = this.weights.length;
    const out = new Float64Array(size);
    if (size === 0) return out;
    if (entries.length === 1 && entries[0][1].kind === 'categorical') {
      // Optuna's shortcut for a lone categorical parameter: log of the weighted choice probabilities.
      const kern = this.kernels[entries[0][0]] as CategoricalKernels;
      const k = (entries[0][1] as CategoricalDistribution).choices.length;
      const mixed = new Float64Array(k);
      for (let c = 0; c < k; c++) for (let i = 0; i < m; i++) mixed[c] += kern.probabilities[i][c] * this.weights[i];
      for (let s = 0; s < size; s++) out[s] = Math.log(mixed[samples[entries[0][0]][s]]);
      return out;
    }
    const comp = new Float64Array(size * m);
    for (const [name, d] of entries) {
      const kern = this.kernels[name];
      const xs = samples[name];
      if (kern.kind === 'categorical') {
        for (let s = 0; s < size; s++) for (let i = 0; i < m; i++) comp[s * m + i] += Math.log(kern.probabilities[i][xs[s]]);
        continue;
      }
      const { low, high, q, mus, sigmas } = kern;
      // Each component's log mass on the whole range does not depend on the point: compute it once.
      const logMass = new Float64Array(m);
      for (let i = 0; i < m; i++) logMass[i] = logGaussMass((low - mus[i]) / sigmas[i], (high - mus[i]) / sigmas[i]);
      for (let s = 0; s < size; s++) {
        const x = toUniform(d, xs[s]);
        if (q === null) {
          // truncnorm logpdf: -inf outside [a, b], as Optuna 3.1 without -log(sigma) (see truncnorm.ts).
          for (let i = 0; i < m; i++) {
            const z = (x - mus[i]) / sigmas[i];
            const outside = z < (low - mus[i]) / sigmas[i] || (high - mus[i]) / sigmas[i] < z;
            comp[s * m + i] += outside ? -Infinity : normLogPdf(z) - logMass[i];
          }
        } else {
          const upper = Math.min(x + q / 2.0, high);
          const lower = Math.max(x - q / 2.0, low);
          for (let i = 0; i < m; i++) {
            comp[s * m + i] += logGaussMass((lower - mus[i]) / sigmas[i], (upper - mus[i]) / sigmas[i]) - logMass[i];
          }
        }
      }
    }
    for (let s = 0; s < size; s++) {
      let max = -Infinity;
      for (let i = 0; i < m; i++) {
        const v = (comp[s * m + i] += Math.log(this.weights[i]));
        if (v > max) max = v;
      }
      let sum = 0;
      for (let i = 0; i < m; i++) sum += Math.exp(comp[s * m + i] - max);
      out[s] = Math.log(sum) + max;
    }
    return out;
  }
}
