/**
 * Opening a SQLite store: `<home>/data/pulse.db` in WAL mode with a busy timeout and foreign keys on, migrations
 * applied automatically and idempotently. A file that is not a SQLite database, or that was written by a newer
 * pulse, is refused without being touched; a damaged one is reported as damaged.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataError, toError } from '../../core/errors.js';
import type { OpenStoreOptions, Repositories, Store } from '../repositories.js';
import { sqliteBars } from './bars.js';
import { SqliteConnection, type SqliteContext } from './connection.js';
import { sqliteMaintenance } from './maintenance.js';
import { lazyRepository } from './lazy.js';
import * as schema from './schema.js';

/** Directory holding the generated SQL migrations (copied next to the compiled JS by the build). */
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

interface Journal {
  entries: { idx: number; tag: string }[];
}
const JOURNAL = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as Journal;

/** The schema version this pulse writes: the number of migrations it ships, recorded in PRAGMA user_version. */
export const SCHEMA_VERSION: number = JOURNAL.entries.length;

const SQLITE_MAGIC = 'SQLite format 3\0';
/** SQLite's result codes for a store file that is corrupt or cannot be read back. */
const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB|IOERR)/;

/**
 * The repositories of a context. Bars stream pages (not a Promise), so they load with the store; every other
 * repository loads on its first call (src/store/sqlite/lazy.ts).
 */
function repositories(ctx: SqliteContext): Repositories {
  return {
    bars: sqliteBars(ctx),
    series: lazyRepository('series', async () => (await import('./series.js')).sqliteSeries(ctx)),
    instruments: lazyRepository('instruments', async () => (await import('./instruments.js')).sqliteInstruments(ctx)),
    runs: lazyRepository('runs', async () => (await import('./runs.js')).sqliteRuns(ctx)),
    quarantine: lazyRepository('quarantine', async () => (await import('./runs.js')).sqliteQuarantine(ctx)),
    sources: lazyRepository('sources', async () => (await import('./sources.js')).sqliteSources(ctx)),
    models: lazyRepository('models', async () => (await import('./models.js')).sqliteModels(ctx)),
    jobs: lazyRepository('jobs', async () => (await import('./jobs.js')).sqliteJobs(ctx)),
    predictions: lazyRepository('predictions', async () => (await import('./predictions.js')).sqlitePredictions(ctx)),
    backtests: lazyRepository('backtests', async () => (await import('./backtests.js')).sqliteBacktests(ctx)),
    backups: lazyRepository('backups', async () => (await import('./backups.js')).sqliteBackups(ctx)),
    health: lazyRepository('health', async () => (await import('./health.js')).sqliteHealthRuns(ctx)),
    studies: lazyRepository('studies', async () => (await import('./studies.js')).sqliteStudies(ctx)),
    modelEvents: lazyRepository('modelEvents', async () => (await import('./model-events.js')).sqliteModelEvents(ctx)),
    drift: lazyRepository('drift', async () => (await import('./drift.js')).sqliteDriftEvents(ctx)),
    abTests: lazyRepository('abTests', async () => (await import('./ab-tests.js')).sqliteAbTests(ctx)),
    cycles: lazyRepository('cycles', async () => (await import('./cycles.js')).sqliteCycles(ctx)),
    performance: lazyRepository('performance', async () => (await import('./performance.js')).sqlitePerformance(ctx)),
  };
}

/**
 * Open (creating and migrating as needed) the SQLite store at `path`, part of `home`.
 * @throws ConfigError when the home is not writable; DataError when the file is not a pulse store or is damaged.
 */
export function openSqliteStore(home: string, path: string, options: OpenStoreOptions = {}): Store {
  const exists = existsSync(path);
  if (!exists && options.readonly) {
    throw new DataError(`no pulse store at ${path}`, 'collect some data first, e.g. `pulse collect DEMO --source synthetic`');
  }
  if (!exists) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new ConfigError(`cannot create the store directory ${dirname(path)}: ${toError(err).message}`, 'choose a writable home with --home DIR or PULSE_HOME', err);
    }
  } else {
    assertSqliteFile(path);
  }

  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw new ConfigError(`cannot open the store ${path}: ${toError(err).message}`, 'check that the home directory is writable, or choose another with --home DIR', err);
  }
  try {
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > SCHEMA_VERSION) {
      throw new DataError(
        `the store ${path} was written by a newer pulse (schema ${found}; this pulse knows up to ${SCHEMA_VERSION})`,
        'upgrade pulse, or use another home; the store was not modified',
      );
    }
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 30_000))}`);
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL is corruption-safe; a power loss can only drop the last committed transactions.
      db.pragma('synchronous = NORMAL');
    }
    const orm = drizzle(db, { schema });
    if (!options.readonly && found < SCHEMA_VERSION) applyMigrations(db);
    const connection = new SqliteConnection(db, orm, home);
    return {
      home,
      location: path,
      ...repositories(connection.context()),
      maintenance: sqliteMaintenance(connection.context(), options.readonly ? found : SCHEMA_VERSION),
      transaction: (body) => connection.transaction((ctx) => body(repositories(ctx))),
      describeError: (err) => storeDamage(err, path),
      close: async () => {
        db.close();
      },
    };
  } catch (err) {
    db.close();
    if (err instanceof DataError || err instanceof ConfigError) throw err;
    const e = toError(err) as Error & { code?: string };
    if (e.code === 'SQLITE_NOTADB') {
      throw new DataError(`${path} is not a pulse store (${e.message})`, 'move the file away or choose another home; it was not modified', err);
    }
    const damage = storeDamage(err, path);
    if (damage !== err) throw damage;
    if (e.code === 'SQLITE_READONLY' || e.code === 'SQLITE_CANTOPEN') {
      throw new ConfigError(`the store ${path} is not writable (${e.message})`, 'fix the permissions or choose another home with --home DIR', err);
    }
    throw err;
  }
}

/**
 * A SQLite error that says the store file is damaged (corrupt pages, unreadable file), as a DataError (exit 3)
 * naming the store and what to do; any other value is returned unchanged.
 */
function storeDamage(err: unknown, path: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !DAMAGE_CODES.test(code)) return err;
  return new DataError(
    `the store at ${path} is damaged: ${toError(err).message}`,
    'restore a backup (pulse backup restore), or move the file away to start a new store; the file was not modified',
    err,
  );
}

/**
 * Apply the migrations this store lacks, all in one IMMEDIATE transaction: concurrent first opens of a new home
 * serialise on SQLite's write lock (busy timeout), and the loser finds the work done. PRAGMA user_version records
 * how many migrations the store has.
 */
function applyMigrations(db: Database.Database): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const have = db.pragma('user_version', { simple: true }) as number;
    for (const entry of JOURNAL.entries.slice(have)) {
      const sqlText = readFileSync(join(MIGRATIONS_DIR, `${entry.tag}.sql`), 'utf8');
      for (const statement of sqlText.split('--> statement-breakpoint')) {
        if (statement.trim()) db.exec(statement);
      }
    }
    db.pragma(`user_version = ${JOURNAL.entries.length}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** Refuse a non-empty file that does not start with SQLite's header, before SQLite touches it. */
function assertSqliteFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const n = readSync(fd, header, 0, 16, 0);
    if (n === 0) return; // an empty file is a fresh database to SQLite
    if (n < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
      throw new DataError(`${path} is not a SQLite database`, 'move the file away or choose another home with --home DIR; it was not modified');
    }
  } finally {
    closeSync(fd);
  }
}
