/**
 * GBDT accuracy benchmark: is pulse's holdout RMSE within 1% of XGBoost's, beyond the luck of one run?
 *
 * On the shared benchmark matrix a single 200-round model's holdout RMSE depends on which greedy path the trees
 * happen to take (the target's x1*x2 interaction has no marginal signal, so when it is found is close to chance):
 * the same engine on 99% of the rows, or with another bin sample, moves the RMSE by several percent. So both
 * engines train on the same K seeded row subsets (each row kept with probability `--fraction`), with the shared
 * settings, and the benchmark reports each engine's mean RMSE and the paired difference with a 95% t-interval.
 *
 * Usage: node dist/bench/gbdt-accuracy.js --data DIR [--subsets 5] [--fraction 0.99] [--engines xgb2,hgbt]
 * (the native side runs bench/gbdt-native-subset.py with /usr/bin/python3; needs python3-xgboost / python3-sklearn).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { trainGbdt } from '../src/gbdt/booster.js';
import { predictBatchSync } from '../src/gbdt/predict.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function readF32(path: string): Float32Array {
  const buf = readFileSync(path);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

/** Two-sided 95% Student t quantiles for 1..10 degrees of freedom (beyond: 2.0). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

function meanCi(xs: number[]): { mean: number; half: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, half: NaN };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, half: (T95[n - 2] ?? 2.0) * (sd / Math.sqrt(n)) };
}

function main(): void {
  const dir = arg('data', '');
  if (!dir) throw new Error('usage: gbdt-accuracy.js --data DIR [--subsets 5] [--fraction 0.99] [--engines xgb2,hgbt]');
  const subsets = Number(arg('subsets', '5'));
  const fraction = Number(arg('fraction', '0.99'));
  const engines = arg('engines', 'xgb2').split(',');
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { rows: number; cols: number; train_rows: number };
  const { rows, cols, train_rows: trainRows } = meta;
  const X = readF32(join(dir, 'X.f32'));
  const y = readF32(join(dir, 'y.f32'));
  const holdout = rows - trainRows;
  const Xte = X.subarray(trainRows * cols);
  const native = join(dirname(fileURLToPath(import.meta.url)), '../../bench/gbdt-native-subset.py');
  const work = mkdtempSync(join(tmpdir(), 'pulse-gbdt-accuracy-'));
  const rmse: Record<string, number[]> = { pulse: [] };
  for (const e of engines) rmse[e] = [];
  try {
    for (let s = 1; s <= subsets; s++) {
      const rng = new Rng(1000 + s);
      const mask = new Uint8Array(trainRows);
      let used = 0;
      for (let i = 0; i < trainRows; i++) if (rng.next() < fraction) mask[i] = 1;
      const Xs = new Float32Array(mask.reduce((a, b) => a + b, 0) * cols);
      const ys = new Float32Array(Xs.length / cols);
      for (let i = 0; i < trainRows; i++) {
        if (!mask[i]) continue;
        Xs.set(X.subarray(i * cols, (i + 1) * cols), used * cols);
        ys[used++] = y[i];
      }
      const maskPath = join(work, `mask-${s}.u8`);
      writeFileSync(maskPath, mask);
      const t0 = performance.now();
      const { model } = trainGbdt({
        features: Xs, numRows: used, numFeatures: cols, labels: ys,
        params: { num_iterations: 200, num_leaves: 63, learning_rate: 0.1, max_bin: 255, num_threads: 0 },
      });
      const trainS = (performance.now() - t0) / 1000;
      const p = predictBatchSync(model, Xte, holdout);
      let se = 0;
      for (let i = 0; i < holdout; i++) se += (p[i] - y[trainRows + i]) ** 2;
      rmse.pulse.push(Math.sqrt(se / holdout));
      const line: Record<string, unknown> = { subset: s, rows_used: used, pulse_rmse: +rmse.pulse[s - 1].toFixed(5), pulse_train_s: +trainS.toFixed(2) };
      for (const e of engines) {
        const out = JSON.parse(execFileSync('/usr/bin/python3', [native, dir, maskPath, e], { encoding: 'utf8' })) as { rmse: number; train_s: number };
        rmse[e].push(out.rmse);
        line[`${e}_rmse`] = out.rmse;
        line[`${e}_train_s`] = out.train_s;
      }
      console.log(JSON.stringify(line));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const summary: Record<string, unknown> = { rows, subsets, fraction };
  const p = meanCi(rmse.pulse);
  summary.pulse_rmse_mean = +p.mean.toFixed(5);
  for (const e of engines) {
    const m = meanCi(rmse[e]);
    // paired relative difference per subset: pulse / engine - 1
    const rel = meanCi(rmse.pulse.map((v, i) => v / rmse[e][i] - 1));
    summary[`${e}_rmse_mean`] = +m.mean.toFixed(5);
    summary[`pulse_vs_${e}_pct`] = +(100 * rel.mean).toFixed(2);
    summary[`pulse_vs_${e}_pct_ci95`] = [+(100 * (rel.mean - rel.half)).toFixed(2), +(100 * (rel.mean + rel.half)).toFixed(2)];
  }
  console.log(JSON.stringify(summary));
}

main();
