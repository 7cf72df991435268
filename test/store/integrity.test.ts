/** SQLite's integrity checks (src/store/sqlite/integrity.ts): in a worker on a file, inline on an in-memory database. */
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../src/store/sqlite/integrity.js';
import { useTempHome } from '../helpers/home.js';

const tempHome = useTempHome();

function fileWithRows(rows: number): string {
  const file = join(tempHome(), 'check.db');
  const db = new Database(file);
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`value ${i} `.repeat(8));
  })();
  db.close();
  return file;
}

describe('checkIntegrity', () => {
  it('finds nothing wrong with a sound file, quick or full, and checks an in-memory database on its own connection', async () => {
    const db = new Database(fileWithRows(2000));
    expect(await checkIntegrity(db, { quick: true })).toEqual([]);
    expect(await checkIntegrity(db)).toEqual([]);
    db.close();
    const memory = new Database(':memory:');
    memory.exec('CREATE TABLE t (k INTEGER PRIMARY KEY)');
    expect(await checkIntegrity(memory, { quick: true })).toEqual([]);
    memory.close();
  });

  it('reports a damaged page as a problem rather than failing', async () => {
    const file = fileWithRows(2000);
    const pages = (() => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT pageno FROM dbstat WHERE name = 't' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
      } finally {
        db.close();
      }
    })();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (pages[pages.length >> 1] - 1) * 4096 + 3);
    closeSync(fd);
    const db = new Database(file, { readonly: true });
    const problems = await checkIntegrity(db, { quick: true });
    db.close();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/malformed|corrupt|page|cell|btree/i);
  });
});
