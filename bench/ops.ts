/**
 * npm run bench:ops — backup, restore and `pulse health` of a home with 2,000,000 one-minute bars and 50 registered
 * models (one slot: one active model and 49 shadows, each a copy of one random forest trained by pulse on the newest
 * 4,000 bars, about 400 KB of JSON each):
 *   1. `createBackup` (online snapshot, model checksums, manifest hashes, tar.gz) against the same work done by
 *      hand in the same run: `sqlite3 pulse.db ".backup ..."` plus `tar czf` of the snapshot and the model files
 *      (goal <= 1.2x);
 *   2. restore with verification (unpack, hash every member, full integrity check, swap): reported;
 *   3. `pulse health --json` on the built CLI, end to end (goal <= 1 s): the wall time of each run and the median,
 *      the same with the models check kept to the files (PULSE__HEALTH__MODEL_MEASURE=false: what loading and timing
 *      the 50 models costs), and the CLI's bare start-up (`pulse --version`) in the same run as the anchor.
 * Runs alternate between pulse and the anchor so machine noise hits both alike; each figure is the median. The
 * `/metrics` scrape is measured by bench:serve.
 *
 * Options: --bars N (default 2000000; or the environment variable BENCH_BARS, e.g. BENCH_BARS=100000 for a quick
 * check), --runs N (backup runs, default 3), --health-runs N (default 5). Needs sqlite3 and tar on PATH for the anchor.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/core/logger.js';
import { DEFAULT_FEATURE_SET } from '../src/features/feature-set.js';
import { parseTarget } from '../src/lifecycle/targets.js';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { createBackup } from '../src/ops/backup/backup.js';
import { restoreBackup } from '../src/ops/backup/restore.js';
import { readModelDocument, registerModel } from '../src/registry/registry.js';
import { openStore, storePath } from '../src/store/store.js';
import { trainJob } from '../src/train/train-job.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const BARS = option('--bars', Number(process.env.BENCH_BARS ?? 2_000_000));
const RUNS = option('--runs', 3);
const HEALTH_RUNS = option('--health-runs', 5);
const MODELS = 50;
/** Bars of the small home the model is trained in. */
const TRAIN_BARS = 4_000;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'pulse.js');
const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-ops-'));

function run(cmd: string, argv: string[]): void {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

interface HealthRunReport {
  status: string;
  checkedAt: number;
  durationMs: number;
  results: { check: string; subject: string | null; state: string; metrics: Record<string, number> }[];
}

/** Run the built CLI to its end (exit 0, or 4 when health is critical); its wall time in seconds. */
function cli(argv: string[], env: Record<string, string>): { s: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0 && !(r.status === 4 && argv[0] === 'health')) throw new Error(`pulse ${argv.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return { s, stdout: r.stdout };
}

/**
 * Train one random forest on the newest bars in a home of its own (pulse train's path), and register it MODELS times
 * in the bench home's slot: the first copy active, the others shadows.
 */
async function registerModels(store: Awaited<ReturnType<typeof openStore>>, s: ReturnType<typeof generateSeries>, now: number): Promise<void> {
  const trainHome = join(dir, 'train');
  const small = await openStore(trainHome);
  const from = s.length - TRAIN_BARS;
  const tail = { length: TRAIN_BARS, time: s.time.slice(from), open: s.open.slice(from), high: s.high.slice(from), low: s.low.slice(from), close: s.close.slice(from), volume: s.volume.slice(from), adjClose: null };
  await small.bars.upsert('BENCH-USD', '1m', tail, { source: 'bench', now });
  const [trained] = (await trainJob(
    {
      symbols: ['BENCH-USD'], interval: '1m', family: 'rf', target: parseTarget('return', { horizon: 1 }), set: DEFAULT_FEATURE_SET, references: {},
      params: { num_iterations: 150, min_data_in_leaf: 5 }, cv: 'walk-forward', folds: 2, window: { kind: 'expanding' }, embargo: 1, testSize: 0.1, pooled: false,
      seed: 5, activate: true, trigger: 'manual',
    },
    { store: small, home: trainHome, now: () => now, log: silentLogger },
  )).models;
  const m = trained.model;
  const document = readModelDocument(m);
  await small.close();
  for (let i = 0; i < MODELS; i++) {
    await registerModel(store, {
      symbols: m.symbols, interval: m.interval as '1m', target: m.target, horizon: m.horizon, family: m.family, mode: m.mode, params: m.params, seed: m.seed,
      featureSet: { name: m.featureSet, hash: m.featureSetHash, names: m.featureNames }, trainFrom: m.trainFrom, trainTo: m.trainTo, dataHash: m.dataHash,
      metrics: m.metrics, trainDurationMs: m.trainDurationMs, engineVersion: m.engineVersion, document,
    }, now + i);
  }
}

try {
  const home = join(dir, 'home');
  const store = await openStore(home);
  // The newest bar opens a few minutes before now, so the freshness check sees a current series.
  const now = Date.now();
  const start = now - (now % MINUTE) - (BARS + 5) * MINUTE;
  const s = generateSeries({ symbol: 'BENCH-USD', interval: '1m', bars: BARS, seed: 5, start });
  await store.bars.upsert('BENCH-USD', '1m', { ...s, adjClose: null }, { source: 'bench', now });
  await registerModels(store, s, now);
  const dbBytes = statSync(storePath(home)).size;

  const pulseS: number[] = [];
  const anchorS: number[] = [];
  const restoreS: number[] = [];
  let archiveBytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const out = join(dir, `pulse-${r}`);
    let t0 = performance.now();
    const made = await createBackup(store, home, { dir: out, pulseVersion: 'bench', now: () => Date.now() });
    pulseS.push((performance.now() - t0) / 1000);
    archiveBytes = made.size;

    const manual = join(dir, `anchor-${r}`);
    mkdirSync(join(manual, 'data'), { recursive: true });
    t0 = performance.now();
    run('sqlite3', [storePath(home), `.backup '${join(manual, 'data', 'pulse.db')}'`]);
    run('cp', ['-r', join(home, 'models'), join(manual, 'models')]);
    run('tar', ['czf', join(dir, `anchor-${r}.tar.gz`), '-C', manual, 'data', 'models']);
    anchorS.push((performance.now() - t0) / 1000);

    const target = join(dir, `restored-${r}`);
    t0 = performance.now();
    await restoreBackup(made.path, target, { force: false, passphrase: () => '', lock: async (scopes) => ({ scopes, release: () => {} }) });
    restoreS.push((performance.now() - t0) / 1000);
    rmSync(target, { recursive: true, force: true });
    rmSync(manual, { recursive: true, force: true });
  }
  await store.close();

  // pulse health end to end on the built CLI, alternating with the bare start-up (the anchor) and a run with the
  // models check kept to the files; the first run of each is a warm-up (page cache), not counted
  const startS: number[] = [];
  const healthS: number[] = [];
  const filesOnlyS: number[] = [];
  let report: HealthRunReport | undefined;
  for (let r = 0; r <= HEALTH_RUNS; r++) {
    const started = cli(['--version'], {});
    const full = cli(['health', '--home', home, '--json'], {});
    const files = cli(['health', '--home', home, '--json'], { PULSE__HEALTH__MODEL_MEASURE: 'false' });
    if (r === 0) continue;
    startS.push(started.s);
    healthS.push(full.s);
    filesOnlyS.push(files.s);
    report = JSON.parse(full.stdout).result as HealthRunReport;
  }
  // the models this run timed (the others show the figures of an earlier run: health.modelMeasureBudgetMs)
  const timed = report!.results.filter((x) => x.check === 'models' && x.metrics.timedAtMs === report!.checkedAt);
  const ratio = median(pulseS) / median(anchorS);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(JSON.stringify({ bars: BARS, models: MODELS, storeMB: +(dbBytes / 1e6).toFixed(1), archiveMB: +(archiveBytes / 1e6).toFixed(1), pulseS, anchorS, restoreS, ratio: +ratio.toFixed(2) }));
  console.log(`backup of ${BARS.toLocaleString('en')} bars (${(dbBytes / 1e6).toFixed(0)} MB store) + ${MODELS} models: pulse ${fmt(pulseS)} s, sqlite3 .backup + tar czf ${fmt(anchorS)} s -> ${ratio.toFixed(2)}x (goal <= 1.2x)`);
  console.log(`restore with verification: ${fmt(restoreS)} s (median ${median(restoreS).toFixed(2)} s)`);
  const ms = (xs: number[]) => xs.map((x) => (x * 1000).toFixed(0)).join(', ');
  console.log(JSON.stringify({ healthS, filesOnlyS, startS, healthDurationMs: report!.durationMs, status: report!.status, timedModels: timed.length }));
  console.log(`pulse health on ${BARS.toLocaleString('en')} bars + ${MODELS} models: ${ms(healthS)} ms (median ${(median(healthS) * 1000).toFixed(0)} ms, goal <= 1000 ms; ${(median(healthS) / median(startS)).toFixed(1)}x the bare start-up); ` +
    `models check on files only ${ms(filesOnlyS)} ms (median ${(median(filesOnlyS) * 1000).toFixed(0)} ms); pulse --version ${ms(startS)} ms (median ${(median(startS) * 1000).toFixed(0)} ms)`);
  const med = (key: 'singleRowMs' | 'batchMs' | 'memoryBytes') => median(timed.map((x) => x.metrics[key]));
  console.log(`  the last run: checks took ${report!.durationMs} ms inside the CLI, status ${report!.status}; ${timed.length} of ${MODELS} models timed in the run, median single row ${(med('singleRowMs') * 1000).toFixed(0)} us, ` +
    `${timed[0]?.metrics.batchRows} rows ${med('batchMs').toFixed(2)} ms, ${(med('memoryBytes') / 2 ** 20).toFixed(2)} MiB held`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
