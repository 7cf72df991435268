/**
 * Sampler benchmark against Optuna 3.1's TPESampler, in the same run.
 *
 * Overhead (issue goal: pulse <= 1.0x Optuna's time per trial): pulse's TPE (and random search, for scale) and
 * Optuna's TPE on the same space and objective.
 * The space is pulse's default LightGBM space (8 parameters: int log, float log, float, int), the objective a cheap
 * sum over the normalised parameters, so what is timed is the sampler plus the in-memory study's bookkeeping
 * (pulse: Study.optimize over MemoryStudyStorage; Optuna: study.optimize over its InMemoryStorage). Each budget
 * (100, 500 trials by default) runs `--pairs` alternating pulse/Optuna pairs, since the machine is shared and its
 * load drifts; the summary prints ms per trial for each side and the range of the pair ratios.
 *
 * Quality (issue goal: pulse's TPE no worse than Optuna's, both better than random): Branin, Hartmann-6,
 * Rosenbrock-5D, Ackley-5D and Branin with a categorical offset, `--quality-trials` (60) trials for each of
 * `--seeds` (20) seeds; the gap best - known minimum is reported as mean and median per sampler, with the ratios
 * pulse/Optuna and whether pulse's mean gap is inside Optuna's 95% interval for the mean (or better). That goal
 * ignores pulse's own spread, so each line also gives SciPy's one-sided Mann-Whitney U test (is pulse's gap larger
 * than Optuna's beyond chance?) and the two-sample KS test; `--seeds 100` narrows both samples. Both sides use seeds
 * 1..`--seeds`, and a pulse study with a seed draws the NumPy streams Optuna's sampler with that seed draws: on the
 * four float spaces the two take the same trials (ratios 1.00x); on the mixed space they part where the
 * categorical's score ties up to rounding (see test/optimize/seeded-studies.test.ts).
 *
 * Without /usr/bin/python3 + python3-optuna the Optuna anchor is skipped with a message.
 *
 * Parallel trials (issue goal: --jobs 2 >= 1.7x faster than --jobs 1): see {@link jobs}.
 *
 * Run: npm run bench:optimize [-- --only overhead,quality,jobs --jobs-trials 40 --jobs-bars 2500 --budgets 100,500 --pairs 3 --multivariate --seeds 20
 *   --quality-trials 60 --problems branin,hartmann6,rosenbrock5,ackley5,mixed]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { DEFAULT_SPACES } from '../src/optimize/default-spaces.js';
import { randomSampler } from '../src/optimize/random.js';
import type { Sampler } from '../src/optimize/sampler.js';
import type { SearchSpace } from '../src/optimize/space.js';
import { MemoryStudyStorage } from '../src/optimize/storage.js';
import { Study } from '../src/optimize/study.js';
import { floatDist, categoricalDist } from '../src/optimize/space.js';
import { ACKLEY5, BRANIN, HARTMANN6, mixedBranin, ROSENBROCK5, type TestFunction } from '../src/optimize/test-functions.js';
import { tpeSampler } from '../src/optimize/tpe.js';
import { openStore } from '../src/store/store.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const budgets = opt('--budgets', '100,500').split(',').map(Number);
const pairs = Number(opt('--pairs', '3'));
const multivariate = args.includes('--multivariate');
const only = opt('--only', 'overhead,quality,jobs').split(',');
const jobsTrials = Number(opt('--jobs-trials', '40'));
const jobsBars = Number(opt('--jobs-bars', '2500'));
const seeds = Number(opt('--seeds', '20'));
const qualityTrials = Number(opt('--quality-trials', '60'));
const problems = opt('--problems', 'branin,hartmann6,rosenbrock5,ackley5,mixed').split(',');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const space: SearchSpace = DEFAULT_SPACES.lightgbm;

function objective(params: Record<string, unknown>): number {
  let total = 0;
  for (const [name, d] of Object.entries(space)) {
    if (d.kind === 'categorical') continue;
    const v = params[name] as number;
    const [x, lo, hi] = d.log ? [Math.log(v), Math.log(d.low), Math.log(d.high)] : [v, d.low, d.high];
    total += ((x - lo) / (hi - lo) - 0.3) ** 2;
  }
  return total;
}

async function pulseSeconds(sampler: Sampler, nTrials: number, seed: number): Promise<{ seconds: number; best: number }> {
  const study = await Study.open({ storage: new MemoryStudyStorage(), name: 'bench', direction: 'minimize', space, sampler, pruner: null, seed, owner: null });
  const start = process.hrtime.bigint();
  const r = await study.optimize(async (t) => objective(t.params), { nTrials });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, best: r.bestTrial!.value! };
}

function optunaAvailable(): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import optuna; assert optuna.__version__.startswith("3.1")'], { encoding: 'utf8' });
  return r.status === 0;
}

function optunaSeconds(spaceFile: string, nTrials: number, seed: number): { seconds: number; best: number } {
  const r = spawnSync('/usr/bin/python3', [join(root, 'bench', 'optimize-optuna.py'), 'overhead', spaceFile, String(nTrials), String(seed), multivariate ? 'multivariate' : ''], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/optimize-optuna.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const fmt = (xs: number[], d = 3): string => xs.map((x) => x.toFixed(d)).join(', ');

/** A quality problem: its space and objective for pulse, its name for the Python side, its known minimum. */
interface QualityProblem {
  readonly name: string;
  readonly minimum: number;
  readonly space: SearchSpace;
  readonly f: (params: Record<string, unknown>) => number;
}

function boxProblem(fn: TestFunction): QualityProblem {
  const names = fn.bounds.map((_, i) => `x${i}`);
  return {
    name: fn.name, minimum: fn.minimum,
    space: Object.fromEntries(fn.bounds.map(([lo, hi], i) => [names[i], floatDist(lo, hi)])),
    f: (p) => fn.f(names.map((n) => p[n] as number)),
  };
}

const PROBLEMS: QualityProblem[] = [
  boxProblem(BRANIN), boxProblem(HARTMANN6), boxProblem(ROSENBROCK5), boxProblem(ACKLEY5),
  { name: 'mixed', minimum: BRANIN.minimum, space: { x1: floatDist(-5, 10), x2: floatDist(0, 15), c: categoricalDist(['a', 'b', 'c']) },
    f: (p) => mixedBranin(p.x1 as number, p.x2 as number, p.c as string) },
];

async function bestValues(problem: QualityProblem, sampler: Sampler): Promise<number[]> {
  const out: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const study = await Study.open({ storage: new MemoryStudyStorage(), name: 'q', direction: 'minimize', space: problem.space, sampler, pruner: null, seed, owner: null });
    out.push((await study.optimize(async (t) => problem.f(t.params), { nTrials: qualityTrials })).bestTrial!.value!);
  }
  return out;
}

const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
const median = (x: number[]): number => {
  const s = [...x].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sd = (x: number[]): number => Math.sqrt(x.reduce((a, v) => a + (v - mean(x)) ** 2, 0) / (x.length - 1));

async function quality(anchor: boolean): Promise<void> {
  console.log(`\nquality: gap = best value - known minimum after ${qualityTrials} trials, ${seeds} seeds each (smaller is better)`);
  for (const problem of PROBLEMS.filter((p) => problems.includes(p.name))) {
    const gap = (xs: number[]): number[] => xs.map((x) => x - problem.minimum);
    const tpe = gap(await bestValues(problem, tpeSampler()));
    const random = gap(await bestValues(problem, randomSampler));
    let line = `${problem.name.padEnd(12)} pulse TPE mean ${mean(tpe).toPrecision(4)} median ${median(tpe).toPrecision(4)}   ` +
      `random mean ${mean(random).toPrecision(4)} median ${median(random).toPrecision(4)}`;
    if (anchor) {
      const r = spawnSync('/usr/bin/python3', [join(root, 'bench', 'optimize-optuna.py'), 'quality', problem.name, String(qualityTrials), String(seeds)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`bench/optimize-optuna.py failed: ${r.stderr}`);
      const optuna = gap(JSON.parse(r.stdout.trim().split('\n').pop()!).best as number[]);
      const upper = mean(optuna) + 1.96 * (sd(optuna) / Math.sqrt(optuna.length));
      // The goal compares pulse's mean with Optuna's interval alone; the rank tests weigh both samples' spread.
      const tests = spawnSync('/usr/bin/python3', [join(root, 'bench', 'optimize-optuna.py'), 'compare'], { input: JSON.stringify({ pulse: tpe, optuna }), encoding: 'utf8' });
      if (tests.status !== 0) throw new Error(`bench/optimize-optuna.py compare failed: ${tests.stderr}`);
      const { mannWhitneyP, ksP } = JSON.parse(tests.stdout) as { mannWhitneyP: number; ksP: number };
      line += `   Optuna TPE mean ${mean(optuna).toPrecision(4)} median ${median(optuna).toPrecision(4)}` +
        `   pulse/Optuna mean ${(mean(tpe) / mean(optuna)).toFixed(2)}x median ${(median(tpe) / median(optuna)).toFixed(2)}x` +
        `   ${mean(tpe) <= upper ? 'ok' : 'WORSE'} (Optuna 95% upper ${upper.toPrecision(4)})` +
        `   pulse worse than Optuna? Mann-Whitney p ${mannWhitneyP.toPrecision(2)}, KS p ${ksP.toPrecision(2)}`;
    }
    console.log(line);
  }
}

async function overhead(anchor: boolean, spaceFile: string): Promise<void> {
  console.log(`sampler overhead per trial, ${Object.keys(space).length}-parameter LightGBM space, TPE${multivariate ? ' (multivariate)' : ''}; ` +
    `${pairs} alternating pulse/Optuna pairs per budget after a warm-up (node ${process.version}, load ${loadavg()[0].toFixed(1)})`);
  await pulseSeconds(tpeSampler({ multivariate }), 50, 999); // warm-up (JIT)
  for (const n of budgets) {
    const pulse: number[] = [];
    const optuna: number[] = [];
    const random: number[] = [];
    for (let p = 0; p < pairs; p++) {
      pulse.push((await pulseSeconds(tpeSampler({ multivariate }), n, p + 1)).seconds);
      random.push((await pulseSeconds(randomSampler, n, p + 1)).seconds);
      if (anchor) optuna.push(optunaSeconds(spaceFile, n, p + 1).seconds);
    }
    const perTrial = (s: number[]): number[] => s.map((x) => (x / n) * 1000);
    console.log(`${n} trials  pulse TPE ms/trial: ${fmt(perTrial(pulse))}   pulse random ms/trial: ${fmt(perTrial(random))}`);
    if (anchor) {
      const ratios = pulse.map((x, i) => x / optuna[i]);
      console.log(`${n} trials  Optuna TPE ms/trial: ${fmt(perTrial(optuna))}`);
      console.log(`${n} trials  pair ratios pulse/Optuna: ${fmt(ratios, 2)}   range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x`);
    }
  }
}

/**
 * `pulse optimize` end to end on the built CLI: `--jobs-trials` (40) LightGBM trials on `--jobs-bars` (2,500) daily
 * bars with `--jobs 2` against `--jobs 1` (the anchor), alternating, each on a fresh study; the random sampler and no
 * pruner, so both runs fit the same 40 parameter sets (TPE with 2 jobs would see a different history). Goal: >= 1.7x
 * faster with 2 jobs. Peak memory is the CLI's own figure (the process's maxRSS, worker threads included).
 */
async function jobs(dir: string): Promise<void> {
  const cli = join(root, 'dist', 'bin', 'pulse.js');
  const home = join(dir, 'home');
  const s = generateSeries({ symbol: 'ACME', interval: '1d', bars: jobsBars, seed: 7, start: Date.UTC(2015, 0, 1) });
  const store = await openStore(home);
  await store.bars.upsert('ACME', '1d', { ...s, adjClose: null }, { source: 'bench', now: Date.now() });
  await store.close();
  const run = (k: number, study: string): { seconds: number; peakMemoryMB: number; complete: number } => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'optimize', 'ACME', '--interval', '1d', '--model', 'lightgbm', '--trials', String(jobsTrials), '--jobs', String(k),
      '--sampler', 'random', '--pruner', 'none', '--seed', '3', '--study', study, '--json', '--home', home], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`pulse optimize --jobs ${k} failed (${r.status}): ${r.stderr}`);
    const doc = JSON.parse(r.stdout).result as { peakMemoryMB: number; counts: { complete: number } };
    return { seconds, peakMemoryMB: doc.peakMemoryMB, complete: doc.counts.complete };
  };
  console.log(`\npulse optimize: ${jobsTrials} LightGBM trials on ${jobsBars} daily bars (random sampler, no pruner), --jobs 2 against --jobs 1, ${pairs} alternating pairs (load ${loadavg()[0].toFixed(1)})`);
  const speedups: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const one = run(1, `j1-${p}`);
    const two = run(2, `j2-${p}`);
    speedups.push(one.seconds / two.seconds);
    console.log(`pair ${p + 1}: --jobs 1 ${one.seconds.toFixed(1)} s (peak ${one.peakMemoryMB} MB), --jobs 2 ${two.seconds.toFixed(1)} s (peak ${two.peakMemoryMB} MB) -> ${(one.seconds / two.seconds).toFixed(2)}x; ${one.complete}/${two.complete} complete`);
  }
  console.log(`--jobs 2 speed-up ${Math.min(...speedups).toFixed(2)}-${Math.max(...speedups).toFixed(2)}x (goal >= 1.7x)`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-optimize-'));
  try {
    const spaceFile = join(dir, 'space.json');
    writeFileSync(spaceFile, JSON.stringify(space));
    const anchor = optunaAvailable();
    if (!anchor) console.log('Optuna anchor skipped: /usr/bin/python3 with python3-optuna 3.1 is not installed (apt-get install python3-optuna)');
    if (only.includes('overhead')) await overhead(anchor, spaceFile);
    if (only.includes('quality')) await quality(anchor);
    if (only.includes('jobs')) await jobs(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
