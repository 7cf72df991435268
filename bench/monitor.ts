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
 * Run: npm run bench:monitor [-- --features 100 --rows 100000 --pairs 5 --tests ks,psi]
 */
import { spawn } from 'node:child_process';
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

async function main(): Promise<void> {
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
    }
    const literal = await scipy.pass('psi_edges');
    console.log(`PSI  with Evidently's literal np.histogram(x, edges) call: ${literal.seconds.toFixed(3)} s per pass`);
    scipy.stop();
    if (!ok) {
      console.log('pulse and SciPy disagree beyond 1e-9');
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
