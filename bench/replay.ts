/**
 * npm run bench:replay — `pulse predict --replay-from` against the anchor of one cron run of `pulse predict`, both
 * through the built CLI on the same home, in the same run.
 *
 * 2,500 daily bars; two ridge models of one slot (active and shadow) trained up to 1,000 bars before the end; the
 * replay predicts those 1,000 bars with each model. A replay builds each model's features once and predicts all
 * its bars in one batch, so it should cost about what one `pulse predict` of the newest bar costs, plus writing the
 * predictions and outcomes (goal: replay <= 3x one predict). Rebuilding the features per bar would cost about
 * 1,000 predicts. `pulse evaluate --by month` on the replayed predictions is timed as well.
 *
 * Options: --bars N (default 2500), --replay N (default 1000), --runs N (default 3; the best of each is kept).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { openStore } from '../src/store/store.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const bars = opt('--bars', 2_500);
const replayBars = opt('--replay', 1_000);
const runs = opt('--runs', 3);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repo, 'dist', 'bin', 'pulse.js');
const home = mkdtempSync(join(tmpdir(), 'pulse-bench-replay-'));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function run(argv: string[]): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...argv, '--home', home], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`pulse ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

const best = (argv: string[]) => Math.min(...Array.from({ length: runs }, () => run(argv).seconds));

try {
  const s = generateSeries({ symbol: 'ACME', interval: '1d', bars, seed: 11, start: Date.UTC(2015, 0, 1) });
  const store = await openStore(home);
  await store.bars.upsert('ACME', '1d', { ...s, adjClose: null }, { source: 'bench', now: Date.now() });
  await store.close();
  const from = s.time[bars - replayBars];
  for (const alpha of ['1000', '10']) run(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', '--to', day(from), '--params', `alpha=${alpha}`, '--quiet']);

  const predictS = best(['predict', 'ACME', '--interval', '1d', '--quiet']);
  const replayS = best(['predict', 'ACME', '--interval', '1d', '--replay-from', day(from), '--quiet']);
  const replayed = JSON.parse(run(['predict', 'ACME', '--interval', '1d', '--replay-from', day(from), '--json']).stdout).result as { predictions: number };
  const evaluateS = best(['evaluate', 'ACME', '--interval', '1d', '--by', 'month', '--quiet']);
  const ratio = replayS / predictS;
  console.log(JSON.stringify({ bars, replayBars, predictions: replayed.predictions, predictS: +predictS.toFixed(3), replayS: +replayS.toFixed(3), evaluateS: +evaluateS.toFixed(3), ratio: +ratio.toFixed(2), load: loadavg()[0] }));
  console.log(`one predict ${predictS.toFixed(3)} s (anchor); replay of ${replayed.predictions} predictions ${replayS.toFixed(3)} s = ${ratio.toFixed(2)}x one predict (goal <= 3x; a per-bar rebuild would be about ${replayBars}x)`);
  console.log(`evaluate --by month on them: ${evaluateS.toFixed(3)} s; load average ${loadavg()[0].toFixed(2)}`);
  if (ratio > 3) process.exitCode = 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}
