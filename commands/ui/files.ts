/**
 * Output files of commands (--out, --export): opened before any work, and written beside the target under a
 * temporary name that replaces it only once every byte is flushed, so a failed or interrupted write leaves an
 * existing file as it was and no half-written one.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DataError, toError } from '../../src/core/errors.js';

/**
 * Open `path` for writing (an unwritable path is a DataError naming `option`), let `write` stream into it, then end
 * the file and wait until every byte is flushed.
 */
export async function writeToFile<T>(path: string, option: string, write: (out: Writable) => Promise<T>): Promise<T> {
  const temp = `${path}.${process.pid}.partial`;
  const out = createWriteStream(temp);
  try {
    await once(out, 'open');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DataError(`cannot write ${path}: ${e.code ?? toError(err).message}`, `choose a writable path for ${option}`);
  }
  try {
    const result = await write(out);
    out.end();
    await once(out, 'finish');
    renameSync(temp, path);
    return result;
  } catch (err) {
    out.destroy();
    rmSync(temp, { force: true });
    throw err;
  }
}
