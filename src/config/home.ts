/**
 * A pulse home: `pulse.config.json`, the store in `data/pulse.db` and model files in `models/`. Only `pulse init`
 * and the commands that start a pipeline (collect, demo) create one; every other command needs an existing home,
 * so a mistyped `--home` is an error rather than a fresh, empty home.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, toError } from '../core/errors.js';
import { storePath } from '../store/store.js';
import { CONFIG_FILE, defaultConfig } from './config.js';


/** Whether `home` is a pulse home: it has a config file or a store. */
export function isPulseHome(home: string): boolean {
  return existsSync(join(home, CONFIG_FILE)) || existsSync(storePath(home));
}

/** @throws ConfigError (exit 2) when `home` is not a pulse home. */
export function requirePulseHome(home: string): void {
  if (!isPulseHome(home)) {
    throw new ConfigError(
      `no pulse home at ${home}`,
      existsSync(home) ? `pulse init ${home}, or pass --home with the right directory` : `check --home (or PULSE_HOME), or create it with pulse init ${home}`,
    );
  }
}

export interface InitResult {
  home: string;
  configFile: string;
  configWritten: boolean;
  created: string[];
}

/**
 * Create the home's folders and write `pulse.config.json` with the defaults (kept when present unless `force`).
 * Every command also works on a home that was never initialised.
 */
export function initHome(home: string, options: { force?: boolean } = {}): InitResult {
  const created: string[] = [];
  try {
    for (const dir of [home, join(home, 'data'), join(home, 'models')]) {
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        created.push(dir);
      }
    }
    const configFile = join(home, CONFIG_FILE);
    const write = options.force || !existsSync(configFile);
    if (write) writeFileSync(configFile, `${JSON.stringify(defaultConfig(), null, 2)}\n`);
    return { home, configFile, configWritten: write, created };
  } catch (err) {
    throw new ConfigError(`cannot initialise ${home}: ${toError(err).message}`, 'choose a writable directory with --home DIR');
  }
}
