/**
 * npm run bench:train — `pulse train` and `pulse predict` end to end through the built CLI (start-up, store, feature
 * matrix with the look-ahead check, walk-forward CV with early stopping, final fit, registration):
 *   1. 2,500 daily bars, default set, lightgbm (goal <= 2 s);
 *   2. 500,000 one-minute bars, 5 walk-forward folds + final fit (goal <= 60 s);
 *   3. `pulse predict` of the daily model (goal <= 0.5 s).
 * Figures are printed with their ratio to the goal; `node -e ''` start-up is measured in the same run as the
 * anchor of what any Node CLI costs here.
 *
 * Options: --minute-rows N (default 500000), --skip-minute.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { openStore } from '../src/store/store.js';

const args = process.argv.slice(2);
const minuteRows = Number(args[args.indexOf('--minute-rows') + 1] ?? 0) || 500_000;
const skipMinute = args.includes('--skip-minute');
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repo, 'dist', 'bin', 'pulse.js');
const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-train-'));

function timed(argv: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${argv.slice(1).join(' ')} failed (${r.status}): ${r.stderr}`);
  return s;
}

async function seed(home: string, symbol: string, interval: '1d' | '1m', bars: number): Promise<void> {
  const s = generateSeries({ symbol, interval, bars, seed: 11, start: Date.UTC(2015, 0, 1) });
  const store = await openStore(home);
  await store.bars.upsert(symbol, interval, { ...s, adjClose: null }, { source: 'bench', now: Date.now() });
  await store.close();
}

try {
  const node = timed(['-e', '']);
  const daily = join(dir, 'daily');
  await seed(daily, 'ACME', '1d', 2_500);
  const trainDaily = timed([cli, 'train', 'ACME', '--interval', '1d', '--model', 'lightgbm', '--home', daily, '--quiet']);
  const predictDaily = timed([cli, 'predict', 'ACME', '--interval', '1d', '--home', daily, '--quiet']);
  let trainMinute: number | null = null;
  if (!skipMinute) {
    const minute = join(dir, 'minute');
    await seed(minute, 'BENCH-USD', '1m', minuteRows);
    trainMinute = timed([cli, 'train', 'BENCH-USD', '--interval', '1m', '--model', 'lightgbm', '--folds', '5', '--home', minute, '--quiet']);
  }
  const result = { nodeStartS: round(node), trainDaily2500S: round(trainDaily), trainMinuteS: trainMinute === null ? null : round(trainMinute), minuteRows, predictS: round(predictDaily) };
  console.log(JSON.stringify(result));
  console.log(`train 2,500 daily bars: ${result.trainDaily2500S} s (goal 2 s -> ${(trainDaily / 2).toFixed(2)}x of goal)`);
  if (trainMinute !== null) console.log(`train ${minuteRows} 1m bars, 5 folds + final: ${result.trainMinuteS} s (goal 60 s -> ${(trainMinute / 60).toFixed(2)}x of goal)`);
  console.log(`predict: ${result.predictS} s (goal 0.5 s -> ${(predictDaily / 0.5).toFixed(2)}x of goal); node start-up anchor ${result.nodeStartS} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function round(s: number): number {
  return Number(s.toFixed(3));
}
