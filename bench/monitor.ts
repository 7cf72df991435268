/**
 * Drift-test benchmark: pulse's KS and PSI drift tests against SciPy's `ks_2samp` and a NumPy PSI on the same data,
 * in the same run (goal: pulse <= 1.0x SciPy's time).
 *
 * 100 features x 100,000 reference rows and 100,000 current rows, seeded (pulse's Rng): normal, Student-t(4) and
 * 0.01-grid (tied) columns; a tenth of the features shifted by 0.02 sd, a tenth scaled by 1.05, a tenth shifted by
 * 0.2 sd, the rest unchanged (so every KS p-value method of the asymptotic path runs: Durbin / Pelz-Good for small D,
 * 2·smirnov for moderate D, 0 for far tails). The data is written once to a float64 file that
 * bench/monitor-scipy.py (run with /usr/bin/python3, kept running) reads before any timing.
 *
 * What is timed, on both sides one pass over the 100 features with the data in memory:
 * - KS: pulse `ksTest.run(ref, cur)` (finite check, sorted copies, D, p-value) vs `scipy.stats.ks_2samp(ref, cur)`;
 * - PSI: pulse `psiTest.run(ref, cur)` (checks, distinct-value check, Sturges bins, counts, PSI) vs Evidently's PSI
 *   in NumPy (see bench/monitor-scipy.py; Evidently's literal np.histogram(x, edges) variant is timed once too).
 * The machine is shared and its load changes within seconds, so the passes alternate (pulse, SciPy, pulse, ...)
 * and each pair gives a ratio; the summary prints the range of the pair ratios and the ratio of the best passes.
 * Both sides' numbers are compared (KS p-values and PSI to 1e-9 relative; exit 1 otherwise).
 *
 * Then the continuous-learning loop end to end on the built CLI (dist/bin/pulse.js), each home set up before the
 * timing (synthetic daily series through `pulse collect --source synthetic`, ridge models through `pulse train`):
 * - drift: `pulse drift-check` of the default feature set, 5,000 reference and 500 current bars (no model: the
 *   reference is the bars before the current window), goal <= 0.5 s; the anchor is `pulse --version` (node's start-up
 *   plus the CLI's), timed alternately in the same run. Exit 0 or 4 (drift found) both count as done.
 * - cycle: `pulse cycle` over 20 daily series, one active ridge model each with 60 days of replayed predictions,
 *   with nothing to retrain (PULSE__CLM__RETRAINHOURS=100000, PULSE__CLM__AUTORETRAIN=false; drift and performance
 *   checks at their defaults, every 24 h and 6 h), goal <= 5 s (median). The first run drift-checks and evaluates
 *   every slot (they never ran); later runs collect (the synthetic source has nothing new within the day), predict
 *   (the newest bar again) and skip the drift check and the evaluation (not due). Each run's steps are printed;
 *   every run must exit 0.
 * - simulate: `pulse cycle --simulate` over two years of daily bars of one synthetic ridge slot with weekly
 *   retraining (PULSE__CLM__RETRAINHOURS=168): wall time and the report's cycles, retrainings, promotions, refusals.
 *
 * Run: npm run bench:monitor [-- --features 100 --rows 100000 --pairs 5 --tests ks,psi --runs 5
 *      --skip scipy,drift,cycle,simulate --json]
 * --skip (or PULSE_BENCH_SKIP=...) leaves sections out; --runs is the timed runs of the drift and cycle sections;
 * --json prints every section's figures as one JSON document on the last line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { ksTest } from '../src/monitor/drift/ks.js';
import { psiTest } from '../src/monitor/drift/psi.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const features = opt('--features', 100);
const rows = opt('--rows', 100_000);
const pairs = opt('--pairs', 5);
const only = args.includes('--tests') ? args[args.indexOf('--tests') + 1].split(',') : ['ks', 'psi'];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const skip = new Set((args.includes('--skip') ? args[args.indexOf('--skip') + 1] : (process.env.PULSE_BENCH_SKIP ?? '')).split(',').filter(Boolean));
const runs = opt('--runs', 5);
const asJson = args.includes('--json');
/** Every section's figures, printed with --json. */
const summary: Record<string, unknown> = {};

/** Column f of the reference (drifted = false) or current window. */
function column(rng: Rng, f: number, drifted: boolean): Float64Array {
  const x = new Float64Array(rows);
  const shift = drifted ? (f % 10 === 0 ? 0.02 : f % 10 === 2 ? 0.2 : 0) : 0;
  const scale = drifted && f % 10 === 1 ? 1.05 : 1;
  for (let i = 0; i < rows; i++) {
    const z = f % 4 === 3 ? rng.studentT(4) : rng.normal();
    const v = shift + scale * z;
    x[i] = f % 7 === 6 ? Math.round(v * 100) / 100 : v;
  }
  return x;
}

/** The SciPy side as a long-lived process answering one pass per command. */
function startScipy(file: string): { pass: (command: string) => Promise<{ seconds: number; values: number[] }>; stop: () => void } {
  const child = spawn('/usr/bin/python3', [join(root, 'bench', 'monitor-scipy.py'), file, String(features), String(rows)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error('bench/monitor-scipy.py exited early');
    return r.value;
  };
  const ready = next();
  return {
    pass: async (command) => {
      await ready;
      child.stdin.write(`${command}\n`);
      return JSON.parse(await next()) as { seconds: number; values: number[] };
    },
    stop: () => {
      child.stdin.end('quit\n');
    },
  };
}

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));
const fmt = (s: number[], digits = 3): string => s.map((v) => v.toFixed(digits)).join(' ');

async function scipySection(): Promise<void> {
  const rng = new Rng(20261204);
  const ref = Array.from({ length: features }, (_, f) => column(rng, f, false));
  const cur = Array.from({ length: features }, (_, f) => column(rng, f, true));
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-monitor-'));
  try {
    const file = join(dir, 'data.f64');
    const all = new Float64Array(2 * features * rows);
    ref.forEach((x, f) => all.set(x, f * rows));
    cur.forEach((x, f) => all.set(x, (features + f) * rows));
    writeFileSync(file, new Uint8Array(all.buffer));
    const scipy = startScipy(file);

    const pulsePass = (run: (f: number) => number): { seconds: number; values: number[] } => {
      const values = new Array<number>(features);
      const t0 = performance.now();
      for (let f = 0; f < features; f++) values[f] = run(f);
      return { seconds: (performance.now() - t0) / 1000, values };
    };
    const cases = [
      { name: 'KS ', pulse: (f: number) => ksTest.run(ref[f], cur[f]).pValue as number, scipy: 'ks' },
      { name: 'PSI', pulse: (f: number) => psiTest.run(ref[f], cur[f]).statistic, scipy: 'psi' },
    ].filter((c) => only.includes(c.scipy));
    console.log(
      `monitor benchmark: ${features} features x ${rows.toLocaleString('en-US')} reference + ${rows.toLocaleString('en-US')} current rows, ` +
        `${pairs} alternating pulse/SciPy pairs per test after one warm-up pair (node ${process.version}, load ${loadavg()[0].toFixed(1)})`,
    );
    let ok = true;
    for (const c of cases) {
      const p: number[] = [];
      const s: number[] = [];
      let worst = 0;
      for (let r = 0; r <= pairs; r++) {
        const mine = pulsePass(c.pulse);
        const theirs = await scipy.pass(c.scipy);
        for (let f = 0; f < features; f++) worst = Math.max(worst, rel(mine.values[f], theirs.values[f]));
        if (r === 0) continue; // warm-up: JIT compilation on our side, imports and caches on theirs
        p.push(mine.seconds);
        s.push(theirs.seconds);
      }
      const ratios = p.map((v, i) => v / s[i]);
      console.log(`${c.name}  pulse passes (s): ${fmt(p)}   ${c.scipy === 'ks' ? 'scipy ks_2samp' : 'numpy PSI'} passes (s): ${fmt(s)}`);
      console.log(
        `${c.name}  pair ratios pulse/scipy: ${fmt(ratios, 2)}   range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x, ` +
          `best/best ${(Math.min(...p) / Math.min(...s)).toFixed(2)}x   max rel diff of the results ${worst.toExponential(1)}`,
      );
      if (worst > 1e-9) ok = false;
      summary[c.scipy] = { pulseSeconds: p, scipySeconds: s, pairRatios: ratios, bestRatio: Math.min(...p) / Math.min(...s), maxRelDiff: worst };
    }
    const literal = await scipy.pass('psi_edges');
    console.log(`PSI  with Evidently's literal np.histogram(x, edges) call: ${literal.seconds.toFixed(3)} s per pass`);
    summary.psiLiteralSeconds = literal.seconds;
    scipy.stop();
    if (!ok) {
      console.log('pulse and SciPy disagree beyond 1e-9');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the loop end to end on the built CLI ----

const CLI = join(root, 'dist', 'bin', 'pulse.js');
const DAY = 86_400_000;
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface CliRun {
  status: number | null;
  seconds: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI with a clean environment (no PULSE_* from the caller) plus `env`, timed by wall clock. */
function cli(argv: string[], env: Record<string, string> = {}): CliRun {
  const clean: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(clean)) if (k.startsWith('PULSE')) delete clean[k];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', env: { ...clean, ...env }, maxBuffer: 256 << 20 });
  return { status: r.status, seconds: (performance.now() - t0) / 1000, stdout: r.stdout, stderr: r.stderr };
}

/** A setup step that must succeed; its output is parsed when it is JSON. */
function must(argv: string[], env: Record<string, string> = {}): any {
  const r = cli(argv, env);
  if (r.status !== 0) throw new Error(`pulse ${argv.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return argv.includes('--json') ? JSON.parse(r.stdout).result : undefined;
}

/** drift-check of the default set, 5,000 reference and 500 current bars, against `pulse --version`, alternating. */
function driftSection(dir: string): void {
  const home = join(dir, 'drift');
  const h = ['--home', home];
  // a crypto-calendar synthetic daily series of 5,500 bars ending yesterday
  const today = Date.parse(`${day(Date.now())}T00:00:00Z`);
  must(['collect', 'DRIFT', '--source', 'synthetic', '--interval', '1d', '--from', day(today - 5_500 * DAY), '--to', day(today), '--seed', '11', ...h]);
  const argv = ['drift-check', 'DRIFT', '--interval', '1d', '--current', '500', ...h, '--json'];
  const warm = cli(argv); // the bars cache and the feature frame's first build are not what is timed
  if (warm.status !== 0 && warm.status !== 4) throw new Error(`pulse drift-check exited ${warm.status}: ${warm.stderr.trim()}`);
  const checked = JSON.parse(warm.stdout).result;
  const drift: number[] = [];
  const version: number[] = [];
  for (let r = 0; r < runs; r++) {
    const v = cli(['--version']);
    if (v.status !== 0) throw new Error(`pulse --version exited ${v.status}`);
    version.push(v.seconds);
    const d = cli(argv);
    if (d.status !== 0 && d.status !== 4) throw new Error(`pulse drift-check exited ${d.status}: ${d.stderr.trim()}`);
    drift.push(d.seconds);
  }
  const m = median(drift);
  console.log(
    `drift-check  ${checked.features.length} features, ${checked.reference.rows} reference + ${checked.current.rows} current bars: ` +
      `runs (s) ${fmt(drift)}, median ${m.toFixed(3)} s (goal <= 0.5 s: ${m <= 0.5 ? 'met' : 'not met'}); ` +
      `pulse --version runs (s) ${fmt(version)}, median ${median(version).toFixed(3)} s; drift-check beyond start-up ${(m - median(version)).toFixed(3)} s`,
  );
  summary.driftCheck = {
    features: checked.features.length, referenceRows: checked.reference.rows, currentRows: checked.current.rows, datasetDrift: checked.datasetDrift,
    seconds: drift, medianSeconds: m, goalSeconds: 0.5, versionSeconds: version, versionMedianSeconds: median(version),
  };
}

/** The steps of a cycle's JSON result, counted: "collect ok x20 (0 new bars), drift-check skipped x20, ...". */
function stepSummary(result: { steps: { step: string; status: string; detail?: string }[] }): string {
  const counts = new Map<string, number>();
  const why = new Map<string, string>();
  let newBars = 0;
  for (const s of result.steps) {
    counts.set(`${s.step} ${s.status}`, (counts.get(`${s.step} ${s.status}`) ?? 0) + 1);
    if (s.status !== 'ok' && !why.has(`${s.step} ${s.status}`)) why.set(`${s.step} ${s.status}`, (s.detail ?? '').slice(0, 70));
    const bars = s.step === 'collect' ? /^(\d+) new bars?$/.exec(s.detail ?? '') : null;
    if (bars) newBars += Number(bars[1]);
  }
  return `${[...counts].map(([k, n]) => `${k} x${n}${why.get(k) ? ` [${why.get(k)}]` : ''}`).join(', ')} (${newBars} new bars collected)`;
}

/** pulse cycle over 20 daily series with nothing to retrain: the median of `runs` runs, each exit 0. */
function cycleSection(dir: string): void {
  const home = join(dir, 'cycle');
  const h = ['--home', home];
  const symbols = Array.from({ length: 20 }, (_, i) => `C${String(i + 1).padStart(2, '0')}`);
  must(['collect', ...symbols, '--source', 'synthetic', '--interval', '1d', '--from', day(Date.now() - 1_500 * DAY), '--seed', '12', ...h]);
  // trained up to 60 days ago, then those 60 days replayed out of sample: predictions with outcomes, so the first
  // cycle has something to evaluate
  const replayFrom = day(Date.now() - 60 * DAY);
  must(['train', ...symbols, '--interval', '1d', '--model', 'ridge', '--folds', '3', '--to', replayFrom, ...h]);
  must(['predict', ...symbols, '--interval', '1d', '--replay-from', replayFrom, ...h]);
  // nothing to retrain: not on schedule (retrainHours 100,000), nor on drift or degradation (autoRetrain off; the
  // drift check and the evaluation still run when due, every 24 h and 6 h as by default)
  const env = { PULSE__CLM__RETRAINHOURS: '100000', PULSE__CLM__AUTORETRAIN: 'false' };
  const seconds: number[] = [];
  const steps: string[] = [];
  for (let r = 0; r < runs; r++) {
    const c = cli(['cycle', ...h, '--json'], env);
    if (c.status !== 0) throw new Error(`pulse cycle run ${r + 1} exited ${c.status}: ${c.stderr.trim()}`);
    seconds.push(c.seconds);
    steps.push(stepSummary(JSON.parse(c.stdout).result));
  }
  const later = seconds.slice(1);
  const m = median(seconds);
  console.log(`cycle        20 daily series, 20 active ridge models, nothing to retrain: runs (s) ${fmt(seconds)}, all exit 0`);
  steps.forEach((s, i) => console.log(`cycle        run ${i + 1}: ${s}`));
  console.log(
    `cycle        median ${m.toFixed(3)} s (goal <= 5 s: ${m <= 5 ? 'met' : 'not met'}); first run (drift-check and evaluate due) ${seconds[0].toFixed(3)} s, ` +
      `later runs' median ${later.length ? median(later).toFixed(3) : '-'} s`,
  );
  summary.cycle = { series: 20, seconds, medianSeconds: m, goalSeconds: 5, firstSeconds: seconds[0], laterMedianSeconds: later.length ? median(later) : null, steps };
}

/** pulse cycle --simulate over two years of daily bars with weekly retraining. */
function simulateSection(dir: string): void {
  const home = join(dir, 'simulate');
  const h = ['--home', home];
  must(['collect', 'SIM', '--source', 'synthetic', '--interval', '1d', '--from', '2016-01-01', '--to', '2024-07-01', '--seed', '13', ...h]);
  must(['train', 'SIM', '--interval', '1d', '--model', 'ridge', '--folds', '3', '--to', '2022-07-01', ...h]);
  const env = { PULSE__CLM__RETRAINHOURS: '168' };
  const c = cli(['cycle', '--simulate', '2022-07-01..2024-07-01', ...h, '--json'], env);
  if (c.status !== 0) throw new Error(`pulse cycle --simulate exited ${c.status}: ${c.stderr.trim()}`);
  const r = JSON.parse(c.stdout).result;
  console.log(
    `simulate     2022-07-01..2024-07-01, one daily ridge slot, retrainHours 168: ${c.seconds.toFixed(1)} s wall (${(r.ms / 1000).toFixed(1)} s in the loop); ` +
      `${r.cycles} cycles (${r.failedCycles} failed), ${r.retrainings} retrainings, ${r.promotions} promotions, ${r.refusals} refusals, drift found ${r.driftEvents} times`,
  );
  summary.simulate = {
    from: '2022-07-01', to: '2024-07-01', retrainHours: 168, seconds: c.seconds, loopSeconds: r.ms / 1000,
    cycles: r.cycles, failedCycles: r.failedCycles, retrainings: r.retrainings, promotions: r.promotions, refusals: r.refusals, driftEvents: r.driftEvents,
  };
}

async function main(): Promise<void> {
  if (!skip.has('scipy') && only.length > 0) await scipySection();
  const loop = ['drift', 'cycle', 'simulate'].filter((x) => !skip.has(x));
  if (loop.length > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-loop-'));
    try {
      console.log(`the loop on the built CLI: ${loop.join(', ')} (${runs} timed runs each; load ${loadavg()[0].toFixed(1)})`);
      if (loop.includes('drift')) driftSection(dir);
      if (loop.includes('cycle')) cycleSection(dir);
      if (loop.includes('simulate')) simulateSection(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  summary.load = loadavg()[0];
  if (asJson) console.log(JSON.stringify(summary));
}

await main();
