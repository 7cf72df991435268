import { heapAllocator } from '../../../src/gbdt/kernels/memory.js';
import { describe, expect, it } from 'vitest';
import { buildBinnedDataset } from '../../../src/gbdt/dataset/binned-dataset.js';
import { toFeatureMatrix } from '../../../src/gbdt/dataset/feature-matrix.js';
import { DataPartition } from '../../../src/gbdt/learner/data-partition.js';
import { createSerialLeafJobRunner } from '../../../src/gbdt/learner/leaf-job-runner.js';
import { binnedLeafIndex, TreeLearner, type LearnerConfig } from '../../../src/gbdt/learner/tree-learner.js';
import { makeProblem } from '../helpers.js';

const config: LearnerConfig = {
  maxLeaves: 31, maxDepth: 0, depthWise: false, parallelPartitionMinRows: 1 << 30, unitHessian: true,
  lambdaL1: 0, lambdaL2: 1, minGainToSplit: 0, minDataInLeaf: 15, minSumHessianInLeaf: 1e-3,
};

/** Brute-force best gain of a node from its rows: every feature, threshold and missing direction. */
function bruteForceGain(rows: number[], bins: Uint8Array | Uint16Array, F: number, numBins: Int32Array, grad: Float64Array, hess: Float64Array): number {
  const score = (g: number, h: number): number => (g * g) / (h + config.lambdaL2 + 1e-15);
  let G = 0;
  let H = 0;
  for (const r of rows) {
    G += grad[r];
    H += hess[r];
  }
  let best = 0;
  for (let f = 0; f < F; f++) {
    const missing = numBins[f] - 1;
    for (let t = 0; t < missing; t++) {
      for (const missingLeft of [false, true]) {
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (const r of rows) {
          const b = bins[r * F + f];
          if (b === missing ? missingLeft : b <= t) {
            gl += grad[r];
            hl += hess[r];
            cl++;
          }
        }
        if (cl < config.minDataInLeaf || rows.length - cl < config.minDataInLeaf) continue;
        best = Math.max(best, score(gl, hl) + score(G - gl, H - hl) - score(G, H));
      }
    }
  }
  return best;
}

describe('TreeLearner', () => {
  it('splits every node with the brute-force best gain (histogram subtraction included)', () => {
    const n = 1500;
    const F = 4;
    const p = makeProblem(n, F, 12, (x, r) => Math.sin(2 * x[0]) + x[1] * x[2] + 0.3 * r.normal());
    for (let i = 0; i < n; i += 9) p.X[i * F + 3] = NaN;
    const data = buildBinnedDataset(toFeatureMatrix(p.X, n, F, 't'), { maxBin: 32, sampleCount: n, seed: 1, shared: false });
    const grad = Float64Array.from(p.y, (y) => -y);
    const hess = new Float64Array(n).fill(1);
    const partition = new DataPartition(n, config.maxLeaves, heapAllocator(false));
    const runner = createSerialLeafJobRunner({
      bins: data.bins, columns: data.columns!, numRows: n, numFeatures: F, binOffset: data.binOffset, numBins: data.numBins,
      rows: partition.indices, grad, hess, numSlots: config.maxLeaves, alloc: heapAllocator(false), arena: null,
    });
    const learner = new TreeLearner(data, config, runner, partition, grad, hess);
    partition.reset(null, n);
    const { tree, splitBin } = learner.grow(0, Uint8Array.of(1, 1, 1, 1));
    expect(tree.numLeaves).toBe(31);
    const missingBin = Int32Array.from(data.mappers, (m) => m.missingBin);
    // rows reaching each internal node
    const reach: number[][] = Array.from({ length: tree.numLeaves - 1 }, () => []);
    for (let r = 0; r < n; r++) {
      let node = 0;
      while (node >= 0) {
        reach[node].push(r);
        const f = tree.splitFeature[node];
        const b = data.bins[r * F + f];
        const left = b === missingBin[f] ? (tree.decision[node] & 2) !== 0 : b <= splitBin[node];
        node = left ? tree.leftChild[node] : tree.rightChild[node];
      }
      expect(binnedLeafIndex(tree, splitBin, data.bins, F, missingBin, r)).toBe(~node);
    }
    for (let node = 0; node < tree.numLeaves - 1; node++) {
      const expected = bruteForceGain(reach[node], data.bins, F, data.numBins, grad, hess);
      expect(tree.splitGain[node], `node ${node}`).toBeCloseTo(expected, 6);
    }
    // leaf values are the regularised optimum of their rows
    for (let l = 0; l < tree.numLeaves; l++) {
      let g = 0;
      let h = 0;
      for (let r = 0; r < n; r++) {
        if (binnedLeafIndex(tree, splitBin, data.bins, F, missingBin, r) === l) {
          g += grad[r];
          h += hess[r];
        }
      }
      expect(tree.leafValue[l]).toBeCloseTo(-g / (h + config.lambdaL2), 9);
      expect(tree.leafCover[l]).toBeCloseTo(h, 9);
    }
  });
});
