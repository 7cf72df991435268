import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in test/helpers/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `../shared` beside the repository: real market data, model oracles and benchmark scripts. Present in
 * development sessions and CI, absent on a user's fresh clone, so tests that use it must skip without it:
 * `describe.skipIf(!HAS_SHARED)(...)`.
 */
export const SHARED_DIR = process.env.PULSE_SHARED_DIR ?? resolve(REPO_ROOT, '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'data'));

/** Path to a file under ../shared. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

/** Path to a committed fixture under test/fixtures. */
export function fixturePath(...parts: string[]): string {
  return join(REPO_ROOT, 'test', 'fixtures', ...parts);
}
