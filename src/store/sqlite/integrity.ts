/**
 * SQLite's integrity checks off the event loop. `PRAGMA quick_check` reads every page of the file (about 0.5 s on a
 * store of two million bars), so it runs in a worker thread on a read-only connection of its own: the caller's
 * other work (a health run's other checks) goes on meanwhile on the other core, and in WAL mode writers are not held
 * up. The check connection maps the file into memory (`mmap_size`), which takes about 30% less time than reading
 * it through the page cache. An in-memory database has no file to open twice and is checked on its own connection.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** The largest map SQLite accepts by default (SQLITE_MAX_MMAP_SIZE); bigger files read their tail through the cache. */
const MMAP_BYTES = 0x7fff0000;

/** The worker (CommonJS, evaluated from this string so that it runs the same from sources and from the build). */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma('mmap_size = ' + workerData.mmapBytes);
  parentPort.postMessage({ rows: db.pragma(workerData.pragma).map((row) => String(Object.values(row)[0])) });
} catch (err) {
  // damage that stops the check is what it found; any other error (permissions, a missing file) is the caller's
  if (err && (err.code === 'SQLITE_CORRUPT' || err.code === 'SQLITE_NOTADB')) parentPort.postMessage({ rows: [err.message] });
  else parentPort.postMessage({ error: err instanceof Error ? err.message : String(err), code: err && err.code });
} finally {
  if (db) db.close();
}`;

/** The worker's answer: the check's rows, or the error that stopped it (errors do not cross threads intact). */
type Answer = { rows: string[] } | { error: string; code?: string };

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/** The problems `quick_check` (or with `quick` false the full `integrity_check`) finds; empty when the store is sound. */
export async function checkIntegrity(db: Database.Database, options: { quick?: boolean } = {}): Promise<string[]> {
  const pragma = options.quick ? 'quick_check' : 'integrity_check';
  const rows = db.memory ? (db.pragma(pragma) as Record<string, unknown>[]).map((row) => String(Object.values(row)[0])) : await inWorker(db.name, pragma);
  return rows.length === 1 && rows[0] === 'ok' ? [] : rows;
}

function inWorker(file: string, pragma: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { driver, file, pragma, mmapBytes: MMAP_BYTES } });
    let answered = false;
    worker.once('message', (answer: Answer) => {
      answered = true;
      if ('rows' in answer) resolve(answer.rows);
      else reject(Object.assign(new Error(answer.error), { code: answer.code }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the integrity check's worker ended (exit ${code}) without an answer`));
    });
  });
}
