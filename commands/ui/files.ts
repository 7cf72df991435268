/** Output files of commands (--out, --export): opened before any work, closed only once fully written. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DataError, toError } from '../../src/core/errors.js';

/**
 * Open `path` for writing (an unwritable path is a DataError naming `option`), let `write` stream into it, then end
 * the file and wait until every byte is flushed.
 */
export async function writeToFile<T>(path: string, option: string, write: (out: Writable) => Promise<T>): Promise<T> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (err) {
    throw new DataError(`cannot write ${path}: ${toError(err).message}`, `choose a writable path for ${option}`);
  }
  const result = await write(out);
  out.end();
  await once(out, 'finish');
  return result;
}
