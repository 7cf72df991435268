/** sha256 of files, streamed (store snapshots and archives can be larger than memory should hold at once). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The sha256 (hex) and size in bytes of a file. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
