/** Creating a pulse home: data/, models/ and the config file. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, toError } from '../core/errors.js';
import { CONFIG_FILE, defaultConfig } from './config.js';

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
