import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse features end to end', () => {
  const tempHome = useTempHome();

  it('lists the default set (60+ features with definitions and lookbacks)', () => {
    const r = pulse(['features', '--list', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const res = r.json().result;
    expect(res.count).toBeGreaterThanOrEqual(60);
    expect(res.features.find((f: { name: string }) => f.name === 'rsi_14')).toMatchObject({ group: 'momentum', lookback: 14 });
  });

  it('builds, checks and exports features with labels for a stored series', () => {
    const home = tempHome();
    expect(pulse(['collect', 'ACME', 'SPY', '--source', 'synthetic', '--interval', '1d', '--from', '2022-01-01', '--to', '2024-01-01', '--home', home]).status).toBe(0);
    const file = join(home, 'acme.csv');
    const r = pulse(['features', 'ACME', '--interval', '1d', '--labels', 'return:h=1,direction:h=5', '--context', 'SPY', '--check', '--export', file, '--home', home, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const res = r.json().result;
    expect(res.lookaheadChecked).toBe(true);
    expect(res.features).toBeGreaterThanOrEqual(60);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(res.rows + 1);
    const header = lines[0].split(',');
    expect(header[0]).toBe('timestamp');
    expect(header).toContain('ref_spy_beta_60');
    expect(header.slice(-2)).toEqual(['fwdret_1', 'dir_5_0']);
    const again = pulse(['features', 'ACME', '--interval', '1d', '--context', 'SPY', '--home', home, '--json']).json().result;
    expect(again.cached).toBe(true);
  });

  it('says how many bars are needed when a series is too short, and names missing data', () => {
    const home = tempHome();
    pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2024-01-01', '--to', '2024-02-01', '--home', home]);
    const short = pulse(['features', 'ACME', '--interval', '1d', '--home', home]);
    expect(short.status).toBe(3);
    expect(short.stderr).toMatch(/needs at least \d+ bars/);
    const none = pulse(['features', 'ACME', '--interval', '1h', '--home', home]);
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('no 1h bars stored for ACME');
  });
});
