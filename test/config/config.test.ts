import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { CONFIG_FILE, defaultConfig, describeConfig, loadConfig, resolveHome } from '../../src/config/config.js';
import { initHome } from '../../src/config/home.js';
import { useTempHome } from '../helpers/home.js';

describe('configuration', () => {
  const tempHome = useTempHome();

  it('resolves the home: flag > PULSE_HOME > cwd', () => {
    expect(resolveHome('/a', { PULSE_HOME: '/b' }, '/c')).toBe('/a');
    expect(resolveHome(undefined, { PULSE_HOME: '/b' }, '/c')).toBe('/b');
    expect(resolveHome(undefined, {}, '/c')).toBe('/c');
    expect(resolveHome('rel', {}, '/c')).toBe('/c/rel');
  });

  it('applies defaults < file < env', () => {
    const home = tempHome();
    expect(loadConfig(home, {})).toEqual(defaultConfig());
    writeFileSync(join(home, CONFIG_FILE), JSON.stringify({ seed: 7, collect: { concurrency: 5, timeoutMs: 9000 } }));
    const fromFile = loadConfig(home, {});
    expect(fromFile.seed).toBe(7);
    expect(fromFile.collect.concurrency).toBe(5);
    expect(fromFile.collect.retries).toBe(defaultConfig().collect.retries);
    const fromEnv = loadConfig(home, { PULSE__COLLECT__TIMEOUT_MS: '5000', PULSE__SEED: '9', PULSE__COLLECT__SOURCE: 'yahoo,binance' });
    expect(fromEnv.collect.timeoutMs).toBe(5000);
    expect(fromEnv.collect.concurrency).toBe(5);
    expect(fromEnv.seed).toBe(9);
    expect(fromEnv.collect.source).toBe('yahoo,binance');
  });

  it('names the bad field, file or variable', () => {
    const home = tempHome();
    writeFileSync(join(home, CONFIG_FILE), JSON.stringify({ collect: { concurrency: 0 } }));
    expect(() => loadConfig(home, {})).toThrow(/collect\.concurrency/);
    writeFileSync(join(home, CONFIG_FILE), JSON.stringify({ collect: { typo: 1 } }));
    expect(() => loadConfig(home, {})).toThrow(ConfigError);
    writeFileSync(join(home, CONFIG_FILE), '{ not json');
    expect(() => loadConfig(home, {})).toThrow(/not valid JSON/);
    const clean = tempHome();
    expect(() => loadConfig(clean, { PULSE__COLLECT__NOPE: '1' })).toThrow(/PULSE__COLLECT__NOPE/);
    expect(() => loadConfig(clean, { PULSE__COLLECT__RETRIES: 'many' })).toThrow(/collect\.retries/);
  });

  it('init writes the defaults once and describes every setting', () => {
    const home = join(tempHome(), 'new-home');
    const first = initHome(home);
    expect(first.configWritten).toBe(true);
    expect(loadConfig(home, {})).toEqual(defaultConfig());
    expect(initHome(home).configWritten).toBe(false);
    const keys = describeConfig(defaultConfig()).map((d) => d.key);
    expect(keys).toContain('collect.timeoutMs');
    expect(keys).toContain('store.busyTimeoutMs');
    expect(describeConfig(defaultConfig()).every((d) => d.description.length > 0)).toBe(true);
  });
});
