/**
 * A repository whose module loads on its first call. A command uses a few of the store's repositories, and each
 * repository module costs start-up time to load (a short-lived `pulse predict` paid for the job, study, backup and
 * health modules it never calls). Only repositories whose every member is an async method can be lazy: the call
 * returns a Promise anyway, so it can await the module first.
 */
import { InternalError } from '../../core/errors.js';

/** An object whose members are all methods that return a Promise. */
export type AsyncMethods<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? T[K] : never };

/** `load` runs once, on the first call of any member; its repository then serves every call. */
export function lazyRepository<T extends AsyncMethods<T>>(name: string, load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as T, {
    get(_, key) {
      // Not a method: `then` (so that awaiting a repository does not call it), symbols (inspection).
      if (typeof key !== 'string' || key === 'then') return undefined;
      let method = methods.get(key);
      if (!method) {
        method = async (...args: unknown[]) => {
          const repository = await (loaded ??= load());
          const member = (repository as Record<string, unknown>)[key];
          if (typeof member !== 'function') throw new InternalError(`the ${name} repository has no method ${key}`);
          return (member as (...a: unknown[]) => Promise<unknown>).apply(repository, args);
        };
        methods.set(key, method);
      }
      return method;
    },
  });
}
