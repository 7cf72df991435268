/**
 * npm run bench:ingest — ingest speed against the sqlite3 CLI, measured in the same run.
 *
 * 1. Writes a 1,000,000-row CSV of 1-minute bars (synthetic, seeded; prices on a 0.01 tick, whole volumes).
 * 2. Imports it with `pulse collect --source csv` (the built CLI, end to end: start-up, parsing, validation,
 *    upserts into the bars table) and, as the anchor, with the sqlite3 CLI's `.import` into an equivalent table
 *    (the same columns, primary key on the time). Prints the ratio (goal <= 1.0).
 * 3. Exports the 1M rows with `pulse data export` against `sqlite3 -csv` of the same table.
 * 4. Loads the 1M bars into typed arrays through the library API (`loadSeries`; goal <= 0.3 s): once cold (the first
 *    load after a change reads SQLite and rebuilds the columnar cache) and once warm.
 *
 * Options: --rows N (default 1000000), --keep (keep the temp dir).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/store.js';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { loadCalendar } from '../src/market/calendars/registry.js';

const args = process.argv.slice(2);
if (args[0] === '--load') {
  // Child mode: time loadSeries cold (SQLite, rebuilding the columnar cache) and warm (the cache).
  const store = await openStore(args[1]);
  const cold = await timeAsync(() => store.bars.load('BENCH-USD', '1m'));
  const warm = await timeAsync(() => store.bars.load('BENCH-USD', '1m'));
  await store.close();
  console.log(JSON.stringify({ cold: cold.s, warm: warm.s, rows: warm.value.length }));
  process.exit(0);
}
const rows = Number(args[args.indexOf('--rows') + 1] ?? 0) || 1_000_000;
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

try {
  const csv = join(dir, 'bars-1m.csv');
  const series = generateSeries({ symbol: 'BENCH-USD', interval: '1m', bars: rows, seed: 1, start: Date.UTC(2020, 0, 1), calendar: loadCalendar('crypto') });
  const parts: string[] = ['timestamp,open,high,low,close,volume\n'];
  for (let i = 0; i < series.length; i++) {
    // Prices on a 0.01 tick and whole-unit volumes, as exchanges quote them (a simulated double has 17 digits).
    const tick = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
    const o = tick(series.open[i]);
    const c = tick(series.close[i]);
    const h = tick(Math.max(series.high[i], Number(o), Number(c)));
    const l = tick(Math.min(series.low[i], Number(o), Number(c)));
    parts.push(`${new Date(series.time[i]).toISOString()},${o},${h},${l},${c},${Math.round(series.volume[i])}\n`);
  }
  writeFileSync(csv, parts.join(''));
  const mb = statSync(csv).size / 1e6;

  // Each import runs twice into a fresh target, alternating, after flushing dirty pages (the CSV was just written):
  // the best of two is compared, so neither side pays for the other's disk writes.
  const home = join(dir, 'home');
  const ddl = 'PRAGMA journal_mode=WAL; CREATE TABLE bars (timestamp TEXT NOT NULL PRIMARY KEY, open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL);';
  const db = join(dir, 'anchor.db');
  let pulseBest = Infinity;
  let sqliteBest = Infinity;
  for (let round = 0; round < 2; round++) {
    rmSync(home, { recursive: true, force: true });
    rmSync(db, { force: true });
    run('sync', []);
    pulseBest = Math.min(pulseBest, time(() => run(process.execPath, [cli, 'collect', 'BENCH-USD', '--source', 'csv', '--file', csv, '--interval', '1m', '--home', home, '--quiet', '--accept-outliers'])).s);
    run('sqlite3', [db, ddl]);
    run('sync', []);
    sqliteBest = Math.min(sqliteBest, time(() => run('sqlite3', [db, '-cmd', '.mode csv', `.import --skip 1 ${csv} bars`])).s);
  }
  const pulseImport = { s: pulseBest };
  const sqliteImport = { s: sqliteBest };

  const out = join(dir, 'export.csv');
  const pulseExport = time(() => run(process.execPath, [cli, 'data', 'export', 'BENCH-USD', '--interval', '1m', '--out', out, '--home', home, '--quiet']));
  const sqliteExport = time(() => execFileSync('sqlite3', ['-csv', '-header', db, 'SELECT * FROM bars ORDER BY timestamp'], { maxBuffer: 1 << 30 }));

  // Load through the library API in a fresh process (this one holds the generated CSV in memory).
  const load = JSON.parse(
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--load', home], { encoding: 'utf8', maxBuffer: 1 << 20 }),
  ) as { cold: number; warm: number; rows: number };
  if (load.rows !== rows) throw new Error(`loaded ${load.rows} bars, expected ${rows}`);

  const result = {
    rows,
    csvMb: Number(mb.toFixed(1)),
    importPulseS: Number(pulseImport.s.toFixed(3)),
    importSqlite3S: Number(sqliteImport.s.toFixed(3)),
    importRatio: Number((pulseImport.s / sqliteImport.s).toFixed(2)),
    exportPulseS: Number(pulseExport.s.toFixed(3)),
    exportSqlite3S: Number(sqliteExport.s.toFixed(3)),
    exportRatio: Number((pulseExport.s / sqliteExport.s).toFixed(2)),
    loadTypedArraysS: Number(load.warm.toFixed(3)),
    loadTypedArraysColdS: Number(load.cold.toFixed(3)),
  };
  console.log(JSON.stringify(result));
  console.log(
    `import ${rows} rows: pulse ${result.importPulseS} s vs sqlite3 .import ${result.importSqlite3S} s -> ${result.importRatio}x (goal <= 1.0x)\n` +
      `export: pulse ${result.exportPulseS} s vs sqlite3 -csv ${result.exportSqlite3S} s -> ${result.exportRatio}x\n` +
      `load into typed arrays: ${result.loadTypedArraysS} s (goal <= 0.3 s); first load after a change (from SQLite, rebuilding the cache): ${result.loadTypedArraysColdS} s`,
  );
} finally {
  if (keep) console.error(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
