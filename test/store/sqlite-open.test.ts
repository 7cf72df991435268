/** Opening a SQLite store: WAL, foreign keys, migrations, and the files it refuses. */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/core/errors.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/open.js';
import { openStore, storePath } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

/** PRAGMA values and table names of a home's store, read over a separate connection. */
function inspect(home: string) {
  const db = new Database(storePath(home), { readonly: true });
  try {
    return {
      journal: db.pragma('journal_mode', { simple: true }),
      version: db.pragma('user_version', { simple: true }),
      tables: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((t) => !t.startsWith('sqlite_')),
    };
  } finally {
    db.close();
  }
}

describe('opening a SQLite store', () => {
  const tempHome = useTempHome();

  it('creates a WAL store migrated to the current schema, idempotently', async () => {
    const home = tempHome();
    await (await openStore(home)).close();
    const first = inspect(home);
    expect(first).toMatchObject({ journal: 'wal', version: SCHEMA_VERSION });
    expect(first.tables).toEqual(expect.arrayContaining(['bars', 'collect_runs', 'external_series', 'instruments', 'model_symbols', 'models', 'quarantine', 'series_versions', 'source_changes', 'source_health']));
    await (await openStore(home)).close();
    expect(inspect(home).version).toBe(SCHEMA_VERSION);
  });

  it('enforces foreign keys: deleting a model deletes its symbols', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const record = {
      id: 'm', family: 'ridge', mode: 'ridge', symbols: ['A', 'B'], slot: 'A+B|1d|return|h1', version: 1, interval: '1d', target: 'return', horizon: 1,
      params: {}, seed: 1, featureSet: 'default', featureSetHash: 'h', featureNames: [], trainFrom: 0, trainTo: 0, dataHash: 'd', metrics: {},
      status: 'shadow' as const, statusChangedAt: 0, parentId: null, jobId: null, study: null, createdAt: 0, trainDurationMs: 0, engineVersion: 'e', filePath: 'models/m.json', fileSize: 0, fileSha256: 's',
    };
    await store.models.insert(record);
    await store.models.delete('m');
    await store.close();
    const db = new Database(storePath(home), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM model_symbols').pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a file that is not a SQLite database and leaves it untouched', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'data'));
    writeFileSync(storePath(home), 'timestamp,open\n1,2\n');
    await expect(openStore(home)).rejects.toThrow(DataError);
    await expect(openStore(home)).rejects.toThrow(/not a SQLite database/);
    expect(readFileSync(storePath(home), 'utf8')).toBe('timestamp,open\n1,2\n');
  });

  it('refuses a store written by a newer pulse without modifying it', async () => {
    const home = tempHome();
    await (await openStore(home)).close();
    const raw = new Database(storePath(home));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = readFileSync(storePath(home));
    await expect(openStore(home)).rejects.toThrow(/newer pulse/);
    expect(readFileSync(storePath(home)).equals(before)).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unwritable home as a configuration error', async () => {
    const home = tempHome();
    chmodSync(home, 0o500);
    await expect(openStore(join(home, 'sub'))).rejects.toThrow(ConfigError);
  });

  it('reports a home under a regular file as a configuration error', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'file'), 'x');
    await expect(openStore(join(home, 'file'))).rejects.toThrow(ConfigError);
  });

  it('concurrent first opens of a new home all succeed', async () => {
    const home = tempHome();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(home)));
    for (const s of stores) await s.close();
    expect(inspect(home).version).toBe(SCHEMA_VERSION);
  });
});
