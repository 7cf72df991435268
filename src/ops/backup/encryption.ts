/**
 * Backup encryption: AES-256-GCM with a key derived by scrypt from a passphrase (`PULSE_BACKUP_PASSPHRASE`).
 *
 * File layout: the 8-byte magic `PULSEBK1`, a 16-byte random salt, a 12-byte random nonce, the ciphertext of the
 * .tar.gz, and GCM's 16-byte authentication tag. scrypt runs with N = 2^15, r = 8, p = 1 (OWASP's minimum). The tag
 * authenticates every byte: a wrong passphrase, a truncated file or one flipped bit fails the decryption as a whole.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { DataError, UsageError } from '../../core/errors.js';

const MAGIC = Buffer.from('PULSEBK1', 'latin1');
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + NONCE_BYTES;
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 };

/** The environment variable that holds the passphrase. */
export const PASSPHRASE_ENV = 'PULSE_BACKUP_PASSPHRASE';

function deriveKey(passphrase: string, salt: Buffer): Buffer {
  return scryptSync(passphrase, salt, 32, SCRYPT);
}

/** Whether `file` starts with the encrypted backup magic. */
export function isEncrypted(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, MAGIC.length, 0) === MAGIC.length && head.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** The passphrase from the environment, or a UsageError saying how to give one. */
export function passphraseFrom(env: NodeJS.ProcessEnv, purpose: string): string {
  const passphrase = env[PASSPHRASE_ENV];
  if (!passphrase) throw new UsageError(`${purpose} needs a passphrase`, `set ${PASSPHRASE_ENV} in the environment (it is never printed or logged)`);
  return passphrase;
}

/** Encrypt `plainFile` into `outFile` (see the module note). */
export async function encryptFile(plainFile: string, outFile: string, passphrase: string): Promise<void> {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt), nonce);
  const out = createWriteStream(outFile);
  out.write(Buffer.concat([MAGIC, salt, nonce]));
  await pipeline(createReadStream(plainFile), cipher, out, { end: false });
  out.end(cipher.getAuthTag());
  await once(out, 'finish');
}

/**
 * Decrypt `file` into `outFile`.
 * @throws DataError when the file is too short, or the passphrase is wrong or the file was altered (GCM tag).
 */
export async function decryptFile(file: string, outFile: string, passphrase: string): Promise<void> {
  const size = statSync(file).size;
  if (size < HEADER_BYTES + TAG_BYTES) throw new DataError(`${file} is truncated: too short for an encrypted backup`, 'use another backup');
  const fd = openSync(file, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
    readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    closeSync(fd);
  }
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const nonce = header.subarray(MAGIC.length + SALT_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(passphrase, salt), nonce);
  decipher.setAuthTag(tag);
  try {
    await pipeline(createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }), decipher, createWriteStream(outFile));
  } catch {
    throw new DataError(`${file} cannot be decrypted: the passphrase is wrong, or the archive was altered or truncated`, `check ${PASSPHRASE_ENV}, or use another backup`);
  }
}
