/**
 * npm run bench:ingest — ingest speed against the sqlite3 CLI, measured in the same run.
 *
 * 1. Writes two CSVs of the same N 1-minute bars (synthetic, seeded; prices on a 0.01 tick, whole volumes): one
 *    with ISO-8601 timestamps (`2020-01-01T00:00:00.000Z`), one with epoch seconds (`1577836800`).
 * 2. Imports each with `pulse collect --source csv` (the built CLI, end to end: start-up, parsing, validation,
 *    upserts into the bars table) and, as its anchor, the same file with the sqlite3 CLI's `.import` into an
 *    equivalent table (the same columns, primary key on the time). Prints one ratio per format (goal <= 1.0 each)
 *    and checks that both imports stored the same bars.
 * 3. Exports the N rows with `pulse data export` against `sqlite3 -csv` of the same table.
 * 4. Loads the N bars into typed arrays through the library API (`loadSeries`; goal <= 0.3 s for 1M): once cold
 *    (the first load after a change reads SQLite and rebuilds the columnar cache) and once warm.
 *
 * Options: --rows N (default 1000000), --rounds N (best of N alternating rounds per import; default 3),
 * --keep (keep the temp dir).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/store.js';
import { loadCalendar } from '../src/market/calendars/registry.js';
import { generateSeries } from '../src/market/sources/synthetic.js';

const args = process.argv.slice(2);
if (args[0] === '--load') {
  // Child mode: time loadSeries cold (SQLite, rebuilding the columnar cache) and warm (the cache), and checksum
  // the bars so that two homes can be compared.
  const store = await openStore(args[1]);
  const cold = await timeAsync(() => store.bars.load('BENCH-USD', '1m'));
  const warm = await timeAsync(() => store.bars.load('BENCH-USD', '1m'));
  await store.close();
  const s = warm.value;
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum = (sum * 31 + s.time[i] + s.open[i] * 3 + s.high[i] * 5 + s.low[i] * 7 + s.close[i] * 11 + s.volume[i] * 13) % 1e15;
  console.log(JSON.stringify({ cold: cold.s, warm: warm.s, rows: s.length, checksum: sum }));
  process.exit(0);
}

/** The positive integer after `name`, or `fallback` when the option is absent. */
function intOption(name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const v = Number(args[at + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} needs a positive integer, got ${args[at + 1] ?? 'nothing'}`);
  return v;
}

const rows = intOption('--rows', 1_000_000);
const rounds = intOption('--rounds', 3);
const keep = args.includes('--keep');
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repo, 'dist', 'bin', 'pulse.js');
const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-ingest-'));

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ s: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { s: (performance.now() - t0) / 1000, value };
}

function time<T>(fn: () => T): { s: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { s: (performance.now() - t0) / 1000, value };
}

function run(cmd: string, argv: string[], input?: string): void {
  const r = spawnSync(cmd, argv, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
}

/** Write the ISO and the epoch-second CSV of the same bars; returns their paths. */
function writeCsvs(): { iso: string; epoch: string } {
  const series = generateSeries({ symbol: 'BENCH-USD', interval: '1m', bars: rows, seed: 1, start: Date.UTC(2020, 0, 1), calendar: loadCalendar('crypto') });
  const header = 'timestamp,open,high,low,close,volume\n';
  const iso: string[] = [header];
  const epoch: string[] = [header];
  // Prices on a 0.01 tick and whole-unit volumes, as exchanges quote them (a simulated double has 17 digits).
  const tick = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
  for (let i = 0; i < series.length; i++) {
    const o = tick(series.open[i]);
    const c = tick(series.close[i]);
    const h = tick(Math.max(series.high[i], Number(o), Number(c)));
    const l = tick(Math.min(series.low[i], Number(o), Number(c)));
    const rest = `,${o},${h},${l},${c},${Math.round(series.volume[i])}\n`;
    iso.push(new Date(series.time[i]).toISOString() + rest);
    epoch.push(String(series.time[i] / 1000) + rest);
  }
  const paths = { iso: join(dir, 'bars-1m-iso.csv'), epoch: join(dir, 'bars-1m-epoch.csv') };
  writeFileSync(paths.iso, iso.join(''));
  writeFileSync(paths.epoch, epoch.join(''));
  return paths;
}

const DDL = 'PRAGMA journal_mode=WAL; CREATE TABLE bars (timestamp TEXT NOT NULL PRIMARY KEY, open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL);';

/** Best-of-`rounds` import times of one CSV: pulse into `home`, sqlite3 `.import` into `db`. */
function importBoth(csv: string, home: string, db: string): { pulse: number; sqlite3: number } {
  // Each import runs into a fresh target, alternating, after flushing dirty pages (the CSVs were just written):
  // the best of the rounds is compared, so neither side pays for the other's disk writes.
  let pulse = Infinity;
  let sqlite3 = Infinity;
  for (let round = 0; round < rounds; round++) {
    rmSync(home, { recursive: true, force: true });
    rmSync(db, { force: true });
    rmSync(`${db}-wal`, { force: true });
    run('sync', []);
    pulse = Math.min(pulse, time(() => run(process.execPath, [cli, 'collect', 'BENCH-USD', '--source', 'csv', '--file', csv, '--interval', '1m', '--home', home, '--quiet', '--accept-outliers'])).s);
    run('sqlite3', [db, DDL]);
    run('sync', []);
    sqlite3 = Math.min(sqlite3, time(() => run('sqlite3', [db, '-cmd', '.mode csv', `.import --skip 1 ${csv} bars`])).s);
  }
  return { pulse, sqlite3 };
}

function loadHome(home: string): { cold: number; warm: number; rows: number; checksum: number } {
  // Load through the library API in a fresh process (this one held the generated CSVs in memory).
  return JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--load', home], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

const r3 = (x: number) => Number(x.toFixed(3));
const r2 = (x: number) => Number(x.toFixed(2));

try {
  const csv = writeCsvs();
  const mb = { iso: statSync(csv.iso).size / 1e6, epoch: statSync(csv.epoch).size / 1e6 };
  const homes = { iso: join(dir, 'home-iso'), epoch: join(dir, 'home-epoch') };
  const dbs = { iso: join(dir, 'anchor-iso.db'), epoch: join(dir, 'anchor-epoch.db') };
  const iso = importBoth(csv.iso, homes.iso, dbs.iso);
  const epoch = importBoth(csv.epoch, homes.epoch, dbs.epoch);

  const out = join(dir, 'export.csv');
  const pulseExport = time(() => run(process.execPath, [cli, 'data', 'export', 'BENCH-USD', '--interval', '1m', '--out', out, '--home', homes.iso, '--quiet']));
  const sqliteExport = time(() => execFileSync('sqlite3', ['-csv', '-header', dbs.iso, 'SELECT * FROM bars ORDER BY timestamp'], { maxBuffer: 1 << 30 }));

  const load = loadHome(homes.iso);
  const loadEpoch = loadHome(homes.epoch);
  if (load.rows !== rows || loadEpoch.rows !== rows) throw new Error(`loaded ${load.rows} (ISO) and ${loadEpoch.rows} (epoch) bars, expected ${rows}`);
  if (load.checksum !== loadEpoch.checksum) throw new Error('the ISO and the epoch-second imports stored different bars');

  const result = {
    rows,
    rounds,
    csvMb: r2(mb.iso),
    csvEpochMb: r2(mb.epoch),
    importPulseS: r3(iso.pulse),
    importSqlite3S: r3(iso.sqlite3),
    importRatio: r2(iso.pulse / iso.sqlite3),
    importEpochPulseS: r3(epoch.pulse),
    importEpochSqlite3S: r3(epoch.sqlite3),
    importEpochRatio: r2(epoch.pulse / epoch.sqlite3),
    exportPulseS: r3(pulseExport.s),
    exportSqlite3S: r3(sqliteExport.s),
    exportRatio: r2(pulseExport.s / sqliteExport.s),
    loadTypedArraysS: r3(load.warm),
    loadTypedArraysColdS: r3(load.cold),
  };
  console.log(JSON.stringify(result));
  console.log(
    `import ${rows} rows, ISO timestamps: pulse ${result.importPulseS} s vs sqlite3 .import ${result.importSqlite3S} s -> ${result.importRatio}x (goal <= 1.0x)\n` +
      `import ${rows} rows, epoch seconds:  pulse ${result.importEpochPulseS} s vs sqlite3 .import ${result.importEpochSqlite3S} s -> ${result.importEpochRatio}x (goal <= 1.0x)\n` +
      `export: pulse ${result.exportPulseS} s vs sqlite3 -csv ${result.exportSqlite3S} s -> ${result.exportRatio}x\n` +
      `load into typed arrays: ${result.loadTypedArraysS} s (goal <= 0.3 s); first load after a change (from SQLite, rebuilding the cache): ${result.loadTypedArraysColdS} s`,
  );
} finally {
  if (keep) console.error(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
