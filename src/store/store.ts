/**
 * The store: a pulse home's persistent state behind one dialect-neutral API. Domain code sees `Store` (the
 * repositories of repositories.ts, `transaction`, `close`) and never a connection, SQL or a driver: each SQL dialect
 * implements the API in its own folder (SQLite in `sqlite/`), so another (PostgreSQL) can be added beside it without
 * touching domain code.
 *
 * Every repository method returns a Promise. `transaction(async (tx) => ...)` runs its body atomically on `tx`'s
 * repositories; the store's own repositories must not be used inside it.
 */
import { join } from 'node:path';
import type { Repositories } from './repositories.js';
import { openSqliteStore } from './sqlite/open.js';

export type { Repositories } from './repositories.js';

/** An open store. */
export interface Store extends Repositories {
  /** The pulse home the store belongs to: paths the store records are relative to it. */
  readonly home: string;
  /** Where the store lives, for messages (a file path). */
  readonly location: string;
  /** Run `body` atomically: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: Repositories) => Promise<T>): Promise<T>;
  /** An error from the store in pulse's words (a damaged store becomes a DataError naming it); others unchanged. */
  describeError(err: unknown): unknown;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** How long a writer waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
  /** Open without creating or migrating (for read-only use of an existing store). */
  readonly?: boolean;
}

/** The store file of a pulse home. */
export function storePath(home: string): string {
  return join(home, 'data', 'pulse.db');
}

/**
 * Open (creating and migrating as needed) the store of `home`.
 * @throws ConfigError when the home is not writable; DataError when the file is not a pulse store, is newer or is
 * damaged.
 */
export async function openStore(home: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openSqliteStore(home, storePath(home), options);
}
