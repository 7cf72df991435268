/**
 * GBDT training benchmark on the shared matrix format (see ../shared/bench/README.md): trains pulse with the
 * shared settings (200 rounds, 63 leaves leaf-wise, learning rate 0.1, max_bin 255, all cores) on the first
 * `train_rows` rows, predicts the holdout and prints one JSON line:
 * `{"engine":"pulse","rows","cols","train_s","predict_s","predict_warm_s","rmse","peak_rss_mb","threads","train_cpu_s"}`
 * (`predict_warm_s`: the same prediction again, with the worker threads started; `train_cpu_s`: CPU seconds of all
 * threads during training, a load-independent cost figure).
 *
 * Usage: node dist/bench/gbdt.js --data DIR [--rounds 200] [--threads 0] [--params '{"max_bin":63}'] [--js-kernels]
 * (`--js-kernels` builds histograms with the JavaScript kernel instead of the WebAssembly one, for comparison).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainGbdt } from '../src/gbdt/booster.js';
import { predictBatch } from '../src/gbdt/predict.js';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function readF32(path: string): Float32Array {
  const buf = readFileSync(path);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

async function main(): Promise<void> {
  const dir = arg('data');
  if (!dir) throw new Error('usage: gbdt.js --data DIR [--rounds 200] [--threads 0]');
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { rows: number; cols: number; train_rows: number };
  const rounds = Number(arg('rounds', '200'));
  const threads = Number(arg('threads', '0'));
  const extra = JSON.parse(arg('params', '{}') ?? '{}') as Record<string, unknown>;
  const X = readF32(join(dir, 'X.f32'));
  const y = readF32(join(dir, 'y.f32'));
  const { rows, cols, train_rows: trainRows } = meta;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  timer.unref();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = trainGbdt({
    mode: 'lightgbm',
    features: X.subarray(0, trainRows * cols),
    numRows: trainRows,
    numFeatures: cols,
    labels: y.subarray(0, trainRows),
    params: { num_iterations: rounds, num_leaves: 63, learning_rate: 0.1, max_bin: 255, num_threads: threads, ...extra },
    wasmKernels: !process.argv.includes('--js-kernels'),
    onIteration: () => {
      peak = Math.max(peak, process.memoryUsage().rss);
    },
  });
  const trainS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const trainCpuS = (cpu.user + cpu.system) / 1e6;
  const holdout = rows - trainRows;
  const t1 = performance.now();
  const pred = await predictBatch(result.model, X.subarray(trainRows * cols), holdout, { threads: threads === 0 ? 0 : threads });
  const predictS = (performance.now() - t1) / 1000;
  // again with the prediction workers already started (XGBoost's threads are warm after training)
  const t2 = performance.now();
  await predictBatch(result.model, X.subarray(trainRows * cols), holdout, { threads: threads === 0 ? 0 : threads });
  const predictWarmS = (performance.now() - t2) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(timer);
  let se = 0;
  for (let i = 0; i < holdout; i++) se += (pred[i] - y[trainRows + i]) ** 2;
  const rmse = Math.sqrt(se / holdout);
  console.log(JSON.stringify({
    engine: 'pulse', rows, cols, train_s: +trainS.toFixed(3), predict_s: +predictS.toFixed(4), predict_warm_s: +predictWarmS.toFixed(4), rmse: +rmse.toFixed(5),
    peak_rss_mb: Math.round(peak / 2 ** 20), threads: result.numThreads, train_cpu_s: +trainCpuS.toFixed(3),
  }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
