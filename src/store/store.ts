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
import type { OpenStoreOptions, Store } from './repositories.js';
import { openSqliteStore, SCHEMA_VERSION } from './sqlite/open.js';

export type { OpenStoreOptions, Repositories, Store } from './repositories.js';

/** The newest store schema this pulse reads and writes (a store with a higher version is refused). */
export const STORE_SCHEMA_VERSION: number = SCHEMA_VERSION;

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
