/**
 * Sampler overhead benchmark: pulse's TPE (and random search, for scale) against Optuna 3.1's TPESampler on the
 * same space and objective, in the same run (issue goal: pulse <= 1.0x Optuna's time per trial).
 *
 * The space is pulse's default LightGBM space (8 parameters: int log, float log, float, int), the objective a cheap
 * sum over the normalised parameters, so what is timed is the sampler plus the in-memory study's bookkeeping
 * (pulse: Study.optimize over MemoryStudyStorage; Optuna: study.optimize over its InMemoryStorage). Each budget
 * (100, 500 trials by default) runs `--pairs` alternating pulse/Optuna pairs, since the machine is shared and its
 * load drifts; the summary prints ms per trial for each side and the range of the pair ratios.
 * Without /usr/bin/python3 + python3-optuna the Optuna anchor is skipped with a message.
 *
 * Run: npm run bench:optimize [-- --budgets 100,500 --pairs 3 --multivariate]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SPACES } from '../src/optimize/default-spaces.js';
import { randomSampler } from '../src/optimize/random.js';
import type { Sampler } from '../src/optimize/sampler.js';
import type { SearchSpace } from '../src/optimize/space.js';
import { MemoryStudyStorage } from '../src/optimize/storage.js';
import { Study } from '../src/optimize/study.js';
import { tpeSampler } from '../src/optimize/tpe.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const budgets = opt('--budgets', '100,500').split(',').map(Number);
const pairs = Number(opt('--pairs', '3'));
const multivariate = args.includes('--multivariate');
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
  const r = spawnSync('/usr/bin/python3', [join(root, 'bench', 'optimize-optuna.py'), spaceFile, String(nTrials), String(seed), multivariate ? 'multivariate' : ''], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/optimize-optuna.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const fmt = (xs: number[], d = 3): string => xs.map((x) => x.toFixed(d)).join(', ');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-optimize-'));
  try {
    const spaceFile = join(dir, 'space.json');
    writeFileSync(spaceFile, JSON.stringify(space));
    const anchor = optunaAvailable();
    console.log(`sampler overhead per trial, ${Object.keys(space).length}-parameter LightGBM space, TPE${multivariate ? ' (multivariate)' : ''}; ` +
      `${pairs} alternating pulse/Optuna pairs per budget after a warm-up (node ${process.version}, load ${loadavg()[0].toFixed(1)})`);
    if (!anchor) console.log('Optuna anchor skipped: /usr/bin/python3 with python3-optuna 3.1 is not installed (apt-get install python3-optuna)');
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
