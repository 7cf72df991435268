import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/core/errors.js';
import { storePath } from '../../src/config/home.js';
import { SCHEMA_VERSION, openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

describe('openStore', () => {
  const tempHome = useTempHome();

  it('creates a WAL store with foreign keys, migrated to the current schema, idempotently', () => {
    const home = tempHome();
    const a = openStore(home);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(a.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (a.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((t) => !t.startsWith('sqlite_'));
    expect(tables).toEqual(expect.arrayContaining(['bars', 'collect_runs', 'external_series', 'instruments', 'quarantine', 'series_versions', 'source_health']));
    a.close();
    const b = openStore(home);
    expect(b.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    b.close();
  });

  it('refuses a file that is not a SQLite database and leaves it untouched', () => {
    const home = tempHome();
    mkdirSync(join(home, 'data'));
    writeFileSync(storePath(home), 'timestamp,open\n1,2\n');
    expect(() => openStore(home)).toThrow(DataError);
    expect(() => openStore(home)).toThrow(/not a SQLite database/);
    expect(readFileSync(storePath(home), 'utf8')).toBe('timestamp,open\n1,2\n');
  });

  it('refuses a store written by a newer pulse without modifying it', () => {
    const home = tempHome();
    openStore(home).close();
    const raw = new Database(storePath(home));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = readFileSync(storePath(home));
    expect(() => openStore(home)).toThrow(/newer pulse/);
    expect(readFileSync(storePath(home)).equals(before)).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unwritable home as a configuration error', () => {
    const home = tempHome();
    chmodSync(home, 0o500);
    expect(() => openStore(join(home, 'sub'))).toThrow(ConfigError);
  });

  it('reports a home under a regular file as a configuration error', () => {
    const home = tempHome();
    writeFileSync(join(home, 'file'), 'x');
    expect(() => openStore(join(home, 'file'))).toThrow(ConfigError);
  });

  it('concurrent first opens of a new home all succeed', async () => {
    const home = tempHome();
    const stores = Array.from({ length: 4 }, () => openStore(home));
    for (const s of stores) expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    for (const s of stores) s.close();
  });
});
