/**
 * npm run bench:ops — backup and restore of a home with 2,000,000 one-minute bars and 50 model files:
 *   1. `createBackup` (online snapshot, model checksums, manifest hashes, tar.gz) against the same work done by
 *      hand in the same run: `sqlite3 pulse.db ".backup ..."` plus `tar czf` of the snapshot and the model files
 *      (goal <= 1.2x);
 *   2. restore with verification (unpack, hash every member, full integrity check, swap): reported.
 * Runs alternate between pulse and the anchor so machine noise hits both alike; each figure is the median.
 *
 * Options: --bars N (default 2000000), --runs N (default 3). Needs sqlite3 and tar on PATH for the anchor.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { createBackup } from '../src/ops/backup/backup.js';
import { restoreBackup } from '../src/ops/backup/restore.js';
import { openStore, storePath } from '../src/store/store.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const BARS = option('--bars', 2_000_000);
const RUNS = option('--runs', 3);
const MODELS = 50;
const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-ops-'));

function run(cmd: string, argv: string[]): void {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

try {
  const home = join(dir, 'home');
  const store = await openStore(home);
  const s = generateSeries({ symbol: 'BENCH-USD', interval: '1m', bars: BARS, seed: 5, start: Date.UTC(2020, 0, 1) });
  await store.bars.upsert('BENCH-USD', '1m', { ...s, adjClose: null }, { source: 'bench', now: Date.now() });
  mkdirSync(join(home, 'models'));
  for (let i = 0; i < MODELS; i++) {
    // About the size of a 300-tree GBDT document: 400 KB of JSON numbers.
    const body = JSON.stringify({ format: 'pulse-registry-model', trees: Array.from(randomBytes(50_000), (b) => b / 255) });
    const id = `m${i}`;
    writeFileSync(join(home, 'models', `${id}.json`), body);
    await store.models.insert({
      id, family: 'lightgbm', mode: 'lightgbm', symbols: ['BENCH-USD'], slot: `BENCH-USD|1m|return|h${i + 1}`, version: 1, interval: '1m', target: 'return',
      horizon: i + 1, params: {}, seed: 1, featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 0, trainTo: 1, dataHash: 'd', metrics: {},
      status: 'shadow', statusChangedAt: 0, parentId: null, jobId: null, study: null, createdAt: i, trainDurationMs: 1, engineVersion: 'bench',
      filePath: `models/${id}.json`, fileSize: body.length, fileSha256: createHash('sha256').update(body).digest('hex'),
    });
  }
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
  const ratio = median(pulseS) / median(anchorS);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(JSON.stringify({ bars: BARS, models: MODELS, storeMB: +(dbBytes / 1e6).toFixed(1), archiveMB: +(archiveBytes / 1e6).toFixed(1), pulseS, anchorS, restoreS, ratio: +ratio.toFixed(2) }));
  console.log(`backup of ${BARS.toLocaleString('en')} bars (${(dbBytes / 1e6).toFixed(0)} MB store) + ${MODELS} models: pulse ${fmt(pulseS)} s, sqlite3 .backup + tar czf ${fmt(anchorS)} s -> ${ratio.toFixed(2)}x (goal <= 1.2x)`);
  console.log(`restore with verification: ${fmt(restoreS)} s (median ${median(restoreS).toFixed(2)} s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
