/**
 * One SQLite connection behind the Promise-returning store API. better-sqlite3 runs every statement synchronously,
 * so a single statement can never interleave with another; a transaction, though, spans awaits (`store.transaction
 * (async (tx) => ...)`), and while it is open every other caller of this connection must wait, or its statements
 * would join the transaction. `exec` is that gate: it runs a repository's synchronous work at once when no
 * transaction is open, and after it otherwise.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { InternalError } from '../../core/errors.js';
import type * as schema from './schema.js';

export type Orm = BetterSQLite3Database<typeof schema>;

/** Runs a repository's synchronous database work and hands back its result. */
export type Exec = <T>(work: () => T) => Promise<T>;

/** What every SQLite repository works with. */
export interface SqliteContext {
  readonly db: Database.Database;
  readonly orm: Orm;
  readonly exec: Exec;
  /** The pulse home (derived files such as the bars cache live under it). */
  readonly home: string;
}

/** Serialises transactions on one connection (see the module note). */
export class SqliteConnection {
  private open: Promise<void> | null = null;
  private readonly owner = new AsyncLocalStorage<SqliteConnection>();

  constructor(
    readonly db: Database.Database,
    readonly orm: Orm,
    readonly home: string,
  ) {}

  /** Outside any transaction: wait for an open one to end, then run. */
  readonly exec: Exec = async (work) => {
    while (this.open) {
      if (this.owner.getStore() === this) {
        throw new InternalError('the store was used inside its own transaction; use the transaction\'s repositories (tx.*) there');
      }
      await this.open;
    }
    return work();
  };

  /** Inside the transaction that is open: run at once. */
  private readonly execInTransaction: Exec = async (work) => work();

  /** The context of the repositories bound to the connection. */
  context(): SqliteContext {
    return { db: this.db, orm: this.orm, exec: this.exec, home: this.home };
  }

  /**
   * Run `body` in one IMMEDIATE transaction (the writer lock is taken at once, so two processes never deadlock on
   * an upgrade): committed when it resolves, rolled back when it throws. Other callers wait until it ends.
   */
  async transaction<T>(body: (context: SqliteContext) => Promise<T>): Promise<T> {
    while (this.open) await this.open;
    let release!: () => void;
    this.open = new Promise<void>((resolve) => (release = resolve));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.owner.run(this, () => body({ db: this.db, orm: this.orm, exec: this.execInTransaction, home: this.home }));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.open = null;
      release();
    }
  }
}
