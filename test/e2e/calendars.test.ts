import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';
import { HAS_SHARED, sharedPath } from '../helpers/shared.js';

interface SeriesRow {
  symbol: string;
  interval: string;
  calendar: string;
  gaps: number;
  behindBars: number | null;
}

describe.skipIf(!HAS_BUILD)('trading calendars end to end', () => {
  const tempHome = useTempHome();

  it.skipIf(!HAS_SHARED)('GOOG daily on XNYS has no gap, and `data ls` shows the calendar it was stored with', () => {
    const home = tempHome();
    const file = sharedPath('data', 'market', 'backtesting.py', 'GOOG-1d.csv');
    const r = pulse(['collect', 'GOOG', '--source', 'csv', '--file', file, '--interval', '1d', '--calendar', 'XNYS', '--home', home, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const res = r.json().result;
    expect(res.totals).toMatchObject({ fetched: 2148, inserted: 2148, quarantined: 0, gaps: 0 });
    expect(res.symbols[0].calendar).toBe('XNYS');
    const ls = pulse(['data', 'ls', '--home', home, '--json']);
    expect(ls.status, ls.stderr).toBe(0);
    const row = (ls.json().result.series as SeriesRow[]).find((s) => s.symbol === 'GOOG')!;
    expect(row).toMatchObject({ interval: '1d', calendar: 'XNYS', gaps: 0 });
    // the series ends in 2013: years of sessions behind
    expect(row.behindBars).toBeGreaterThan(2500);
    // a later import without --calendar keeps the stored one; without any calendar the same file reports the holidays
    const again = pulse(['collect', 'GOOG', '--source', 'csv', '--file', file, '--interval', '1d', '--home', home, '--json']).json().result;
    expect([again.symbols[0].calendar, again.totals.gaps]).toEqual(['XNYS', 0]);
    const crypto = pulse(['collect', 'GOOG', '--source', 'csv', '--file', file, '--interval', '1d', '--calendar', 'crypto', '--home', home, '--json']).json().result;
    expect(crypto.totals.gaps).toBe(463);
  });

  it.skipIf(!HAS_SHARED)('ADA/BTC 5m on crypto has the same five gaps whatever the symbol is called', () => {
    const home = tempHome();
    const file = sharedPath('data', 'market', 'freqtrade', 'ADA_BTC-5m.csv');
    const gaps = (symbol: string) => {
      const r = pulse(['collect', symbol, '--source', 'csv', '--file', file, '--interval', '5m', '--calendar', 'crypto', '--home', home, '--json']);
      expect(r.status, r.stderr).toBe(0);
      return r.json().result.symbols[0].gaps.map((g: { from: number; missingBars: number }) => [g.from, g.missingBars]);
    };
    const a = gaps('ADABTC');
    expect(a).toHaveLength(5);
    expect(gaps('ADA_BTC')).toEqual(a);
    // with no calendar named, a CSV import is judged on `none`: no gap at all
    const none = pulse(['collect', 'ADAX', '--source', 'csv', '--file', file, '--interval', '5m', '--home', home, '--json']).json().result;
    expect([none.symbols[0].calendar, none.totals.gaps]).toEqual(['none', 0]);
  });

  it('collects synthetic bars on the calendar given, and refuses unknown calendars and broken calendar files', () => {
    const home = tempHome();
    const ok = pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1h', '--from', '2024-11-25', '--to', '2024-12-03', '--calendar', 'xnys', '--home', home, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    const res = ok.json().result;
    // Nov 25-27 and Dec 2 full sessions of 7 bars, Thanksgiving closed, the Black Friday half day 4 bars; no gap
    expect(res.symbols[0]).toMatchObject({ calendar: 'XNYS', fetched: 7 * 4 + 4, quarantined: 0 });
    expect(res.symbols[0].gaps).toEqual([]);
    const unknown = pulse(['collect', 'ACME', '--source', 'synthetic', '--calendar', 'NASDAQ', '--home', home]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown calendar "NASDAQ"/);
    expect(unknown.stderr).toMatch(/crypto, fx, XNYS, XNAS, XLON, XETR, none/);
    mkdirSync(join(home, 'calendars'));
    writeFileSync(join(home, 'calendars', 'XTKS.json'), JSON.stringify({ timezone: 'Asia/Tokyo', open: '09:00', close: '25:00' }));
    const broken = pulse(['collect', 'ACME', '--source', 'synthetic', '--calendar', 'XTKS', '--home', home]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/invalid calendar XTKS .*: close/);
  });

  it('refuses a backtest on the none calendar without --periods-per-year, and runs with it', () => {
    const home = tempHome();
    const file = join(home, 'x.csv');
    const lines = ['timestamp,open,high,low,close,volume'];
    for (let i = 0; i < 300; i++) {
      const c = 100 + 10 * Math.sin(i / 9) + i / 10;
      lines.push(`${new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${c},${c + 1},${c - 1},${c + 0.5},1000`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(pulse(['collect', 'XYZ', '--source', 'csv', '--file', file, '--interval', '1d', '--home', home]).status).toBe(0);
    const refused = pulse(['backtest', 'XYZ', '--interval', '1d', '--strategy', 'sma-cross', '--home', home]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--periods-per-year/);
    const ran = pulse(['backtest', 'XYZ', '--interval', '1d', '--strategy', 'sma-cross', '--periods-per-year', '365', '--home', home, '--json']);
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.json().result.params.periodsPerYear).toBe(365);
  });
});
