/** `pulse train` options in pulse's words, refused before any work, and the training window (gh-11). */
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse train options', () => {
  const tempHome = useTempHome();

  it('states ranges consistently and refuses before reading any data', () => {
    const home = tempHome();
    expect(pulse(['init', home]).status).toBe(0);
    // No bars are stored: a usage error must come first (exit 2), not "no data" (exit 3).
    for (const folds of ['0', '1', '101']) {
      const r = pulse(['train', 'ACME', '--interval', '1d', '--folds', folds, '--home', home]);
      expect(r.status, folds).toBe(2);
      expect(r.stderr.trim()).toBe(`pulse: usage: --folds "${folds}" is not valid (use a whole number from 2 to 100)`);
    }
    const labels = pulse(['features', 'ACME', '--interval', '1d', '--labels', 'return:h=0', '--home', home]);
    expect(labels.status).toBe(2);
    expect(labels.stderr).toContain('--labels "return:h=0": h must be at least 1 (got 0)');
    expect(labels.stderr).not.toMatch(/Too small|0\.horizon/);
    const two = pulse(['features', 'ACME', '--interval', '1d', '--labels', 'return:h=1,direction:h=5:dz=2', '--home', home]);
    expect(two.stderr).toContain('direction:h=5:dz=2: dz must be at most 1 (got 2)');
  });

  it('trains on a window: --to bounds the data and the labels, so the model can be backtested after it', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--calendar', 'XNYS', '--interval', '1d', '--from', '2018-01-01', '--to', '2024-01-01', ...h]).status).toBe(0);
    const t = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--horizon', '5', '--folds', '3', '--from', '2019-01-01', '--to', '2022-01-01', ...h, '--json']);
    expect(t.status, t.stderr).toBe(0);
    const m = t.json().result.models[0].model;
    expect(m.trainFrom).toBeGreaterThanOrEqual(Date.UTC(2019, 0, 1));
    expect(m.trainTo).toBeLessThan(Date.UTC(2022, 0, 1));
    // The last five rows before --to have labels that need bars at or after it: not used.
    const rows = t.json().result.models[0].rows;
    expect(rows.total - rows.labelled).toBe(5 + 0);
    const bt = pulse(['backtest', 'ACME', '--interval', '1d', '--model', m.id, '--from', '2022-01-03', '--bootstrap', '0', ...h, '--json']);
    expect(bt.status, bt.stderr).toBe(0);
    expect(bt.json().result.stats.startMs).toBeGreaterThanOrEqual(Date.UTC(2022, 0, 3));
    expect(pulse(['train', 'ACME', '--interval', '1d', '--from', '2022-01-01', '--to', '2021-01-01', ...h]).status).toBe(2);
  });
});
