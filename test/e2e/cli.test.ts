import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse CLI conventions', () => {
  const tempHome = useTempHome();

  it('prints help with the commands and exit codes', () => {
    const r = pulse(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['collect', 'data', 'demo', 'init', 'config']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toContain('Exit codes');
    const c = pulse(['collect', '--help']);
    expect(c.status).toBe(0);
    expect(c.stdout).toContain('Examples:');
  });

  it('turns usage mistakes into one line and exit 2', () => {
    const home = tempHome();
    for (const args of [['nosuch'], ['collect', 'X', '--interval', '2h', '--home', home], ['collect', 'X', '--source', 'nasdaq', '--home', home], ['collect', '--bogus']]) {
      const r = pulse(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^pulse: (usage|error): /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('gives a JSON error document with --json and a stack trace only with --verbose', () => {
    const home = tempHome();
    const r = pulse(['collect', 'X', '--interval', '7m', '--home', home, '--json']);
    expect(r.status).toBe(2);
    const doc = r.json();
    expect(doc.error).toMatchObject({ type: 'UsageError', exitCode: 2 });
    expect(doc.error.message).toContain('7m');
    pulse(['init', home]);
    const v = pulse(['data', 'show', 'NOPE', '--interval', '1d', '--home', home, '--verbose']);
    expect(v.status).toBe(3);
    expect(v.stderr).toMatch(/\n\s+at /);
  });

  it('refuses a store that is not SQLite with exit 3 and leaves it alone', () => {
    const home = tempHome();
    pulse(['init', '--home', home]);
    writeFileSync(join(home, 'data', 'pulse.db'), 'not a database at all');
    const r = pulse(['data', 'ls', '--home', home]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('not a SQLite database');
  });

  it('refuses an invalid config file with exit 2 naming the setting', () => {
    const home = tempHome();
    writeFileSync(join(home, 'pulse.config.json'), JSON.stringify({ collect: { concurrency: 99 } }));
    const r = pulse(['data', 'ls', '--home', home]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('collect.concurrency');
  });

  it('uses PULSE_HOME, and init + config show the effective settings', () => {
    const home = tempHome();
    expect(pulse(['init'], { env: { PULSE_HOME: home } }).status).toBe(0);
    const r = pulse(['config', '--json'], { env: { PULSE_HOME: home, PULSE__COLLECT__RETRIES: '5' } });
    expect(r.status).toBe(0);
    expect(r.json().result.config.collect.retries).toBe(5);
    expect(r.json().command).toBe('config');
  });
});
