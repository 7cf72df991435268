/** Model files: written atomically (temporary file, fsync, rename) and verified by sha256 on every load. */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, ModelFormatError, toError } from '../core/errors.js';

/** The models directory of a home, relative to the home. */
export const MODELS_DIR = 'models';

/** The models directory of a home. */
export function modelsDir(home: string): string {
  return join(home, MODELS_DIR);
}

/** sha256 of bytes, hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Write `content` to `file` atomically: a temporary file in the same directory, fsync, rename, fsync of the
 * directory. A crash leaves either the old file or the new one, never half of one.
 */
export function writeFileAtomic(file: string, content: string | Buffer): { size: number; sha256: string } {
  const dir = dirname(file);
  const tmp = join(dir, `.${process.pid}.${Date.now()}.tmp`);
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ConfigError(`cannot write ${file}: ${toError(err).message}`, 'check that the models directory is writable');
  }
  return { size: data.length, sha256: sha256(data) };
}

/**
 * Read a registered model file and check its checksum.
 * @throws ModelFormatError (exit 3) when the file is missing or its sha256 differs from the registry's.
 */
export function readVerified(file: string, expectedSha256: string, modelId: string): string {
  if (!existsSync(file)) {
    throw new ModelFormatError(`the file of model ${modelId} is missing (${file})`, `restore it from a backup, or remove the registry entry: pulse models rm ${modelId} --force`);
  }
  const data = readFileSync(file);
  const actual = sha256(data);
  if (actual !== expectedSha256) {
    throw new ModelFormatError(
      `the file of model ${modelId} does not match its checksum (${file}: sha256 ${actual.slice(0, 12)}..., registry ${expectedSha256.slice(0, 12)}...)`,
      'the file was modified or corrupted; restore it from a backup or retrain the model',
    );
  }
  return data.toString('utf8');
}
