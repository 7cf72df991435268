/**
 * Compression benchmark: a 500-tree LightGBM-mode model on a synthetic regression problem (10 features, a
 * nonlinear signal plus noise; 6,000 training rows, the newest 1,500 rows held out as the test tail), compressed
 * at each level (`pulse models compress`'s family compressor and budget). For each level, the original and the
 * compressed model are measured in the same run, right after each other: model document size, median single-row
 * and batch (1,500 rows) prediction latency through `Model.predict`, the test-tail rmse, and the largest prediction
 * difference; printed as compressed / original ratios.
 *
 * Run: npm run bench:compress [-- --trees 500 --seed 1]
 */
import { Rng } from '../src/core/rng.js';
import { METRICS } from '../src/evaluation/metric/metrics.js';
import { compressionBudget, measurePredictions } from '../src/lifecycle/compress.js';
import { COMPRESSION_LEVELS, COMPRESSION_TOLERANCES } from '../src/models/compression.js';
import type { FeatureColumns } from '../src/models/model.js';
import { createModel, familyTraits, modelFromJSON } from '../src/models/registry.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const trees = Number(opt('--trees', '500'));
const seed = Number(opt('--seed', '1'));

function dataset(n: number, rng: Rng): { X: FeatureColumns; y: Float64Array } {
  const columns = Array.from({ length: 10 }, () => Float64Array.from({ length: n }, () => rng.next() * 2 - 1));
  const y = Float64Array.from({ length: n }, (_, i) => {
    const x = columns.map((c) => c[i]);
    return Math.sin(3 * x[0]) + x[1] * x[2] + 0.5 * Math.abs(x[3]) - 0.3 * x[4] + (rng.next() - 0.5) * 1.5;
  });
  return { X: { columns, numRows: n, names: columns.map((_, f) => `f${f}`) }, y };
}

const rng = new Rng(seed);
const all = dataset(7500, rng);
const split = (from: number, to: number): FeatureColumns => ({ columns: all.X.columns.map((c) => c.subarray(from, to)), numRows: to - from, names: all.X.names });
const train = { X: split(0, 6000), y: all.y.subarray(0, 6000) };
const test = { X: split(6000, 7500), y: all.y.subarray(6000) };

const model = createModel('lightgbm', {
  task: 'regression', numClass: 1,
  params: { num_iterations: trees, early_stopping_round: 0, learning_rate: 0.05, num_leaves: 31, min_data_in_leaf: 20, num_threads: 1 },
});
const t0 = performance.now();
await model.fit(train.X, train.y, { seed });
console.log(`trained ${trees} trees on ${train.X.numRows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; test tail ${test.X.numRows} rows`);

const lossOf = (p: Float64Array) => METRICS.rmse.evaluate(test.y, p, 1);
const reference = model.predict(test.X);
const bytesOf = (m: typeof model) => Buffer.byteLength(JSON.stringify(m.toJSON()));
const compress = familyTraits('lightgbm').compress!;
const fmt = (v: number, d = 3) => v.toFixed(d);
const rowsOut: string[][] = [];
for (const level of COMPRESSION_LEVELS) {
  const tolerances = COMPRESSION_TOLERANCES[level];
  const { budget, accept } = compressionBudget(reference, lossOf, tolerances);
  const started = performance.now();
  const outcome = await compress(model, tolerances, { X: test.X, loss: lossOf, accept });
  const compressMs = performance.now() - started;
  const reread = modelFromJSON(JSON.parse(JSON.stringify(outcome.model.toJSON())));
  const before = measurePredictions(model, test, lossOf);
  const after = measurePredictions(reread, test, lossOf);
  let maxAbsDiff = 0;
  for (let i = 0; i < reference.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(after.pred[i] - before.pred[i]));
  const steps = outcome.steps as { iterations: { after: number }; leaves: { before: number; after: number; merged: number }; leafEncoding: string; thresholdsRounded: number };
  rowsOut.push([
    level, fmt(bytesOf(reread) / bytesOf(model)), fmt(after.singleRowMs / before.singleRowMs), fmt(after.batchMs / before.batchMs),
    fmt(after.loss / before.loss, 5), maxAbsDiff.toExponential(2), budget.maxAbsDiff.toExponential(2),
    `${steps.iterations.after}`, `${steps.leaves.after}/${steps.leaves.before} (${steps.leaves.merged} merged)`, steps.leafEncoding, `${(compressMs / 1000).toFixed(1)} s`,
  ]);
  console.log(`${level}: original ${bytesOf(model)} B, single row ${fmt(before.singleRowMs, 4)} ms, batch ${fmt(before.batchMs)} ms, rmse ${fmt(before.loss, 5)} | compressed ${bytesOf(reread)} B, single row ${fmt(after.singleRowMs, 4)} ms, batch ${fmt(after.batchMs)} ms, rmse ${fmt(after.loss, 5)}`);
}
const header = ['level', 'size', '1-row latency', 'batch latency', 'rmse', 'max |diff|', 'allowed', 'trees', 'leaves', 'leaves as', 'compress time'];
console.log('\ncompressed / original (same run):');
console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const r of rowsOut) console.log(`| ${r.join(' | ')} |`);
