/**
 * Collects that used to corrupt a store or hide a failure behind exit 0, on the built CLI: source mixing, files
 * of another interval, runs that store nothing, off-grid timestamps, and --from/--to on files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

/** A bar CSV with `n` rows `stepMs` apart from `start` (weekends skipped for daily rows). */
function barsCsv(n: number, stepMs: number, start: number, options: { weekdays?: boolean } = {}): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  let t = start;
  for (let i = 0; i < n; t += stepMs) {
    const day = new Date(t).getUTCDay();
    if (options.weekdays && (day === 0 || day === 6)) continue;
    const p = 100 + Math.sin(i / 7) * 5;
    lines.push(`${new Date(t).toISOString()},${p.toFixed(2)},${(p + 1).toFixed(2)},${(p - 1).toFixed(2)},${(p + 0.5).toFixed(2)},${1000 + i}`);
    i++;
  }
  return `${lines.join('\n')}\n`;
}

function storedBars(home: string, symbol: string): { interval: string; n: number; sources: string }[] {
  const db = new Database(join(home, 'data', 'pulse.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT interval, count(*) AS n, group_concat(DISTINCT source) AS sources FROM bars WHERE symbol = ? GROUP BY interval ORDER BY interval')
      .all(symbol) as { interval: string; n: number; sources: string }[];
  } finally {
    db.close();
  }
}

const DAY = 86_400_000;

describe.skipIf(!HAS_BUILD)('collect safety (gh-11)', () => {
  const tempHome = useTempHome();

  it('never collects a CSV series from a default source: no --source is a usage error, synthetic is refused', () => {
    const home = tempHome();
    const file = join(home, 'goog.csv');
    writeFileSync(file, barsCsv(60, DAY, Date.UTC(2024, 0, 2), { weekdays: true }));
    expect(pulse(['collect', 'GOOG', '--file', file, '--home', home]).status).toBe(0);
    const before = storedBars(home, 'GOOG');
    expect(before).toEqual([{ interval: '1d', n: 60, sources: 'csv' }]);

    const plain = pulse(['collect', 'GOOG', '--interval', '1d', '--home', home]);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/GOOG 1d was imported from a CSV file/);
    const synthetic = pulse(['collect', 'GOOG', '--source', 'synthetic', '--interval', '1d', '--allow-source-change', '--home', home]);
    expect(synthetic.status).toBe(2);
    expect(synthetic.stderr).toMatch(/holds real bars \(from csv\); synthetic bars never go into it/);
    const yahoo = pulse(['collect', 'GOOG', '--source', 'yahoo', '--interval', '1d', '--home', home]);
    expect(yahoo.status).toBe(2);
    expect(yahoo.stderr).toMatch(/--allow-source-change/);
    expect(storedBars(home, 'GOOG')).toEqual(before);
    for (const r of [plain, synthetic, yahoo]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses real bars for a synthetic series until the series is removed with pulse data rm', () => {
    const home = tempHome();
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2024-01-01', '--to', '2024-03-01', '--home', home]).status).toBe(0);
    const file = join(home, 'acme.csv');
    writeFileSync(file, barsCsv(20, DAY, Date.UTC(2024, 0, 2)));
    const r = pulse(['collect', 'ACME', '--file', file, '--interval', '1d', '--allow-source-change', '--home', home]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ACME 1d holds synthetic bars; real bars never go into it \(.*pulse data rm ACME --interval 1d\)/);
    const rm = pulse(['data', 'rm', 'ACME', '--interval', '1d', '--home', home, '--json']);
    expect(rm.status, rm.stderr).toBe(0);
    expect(rm.json().result.removed).toBeGreaterThan(30);
    expect(pulse(['data', 'rm', 'ACME', '--interval', '1d', '--home', home]).status).toBe(3);
    expect(pulse(['collect', 'ACME', '--file', file, '--interval', '1d', '--home', home]).status).toBe(0);
    expect(storedBars(home, 'ACME')).toEqual([{ interval: '1d', n: 20, sources: 'csv' }]);
  });

  it('lists the sources when a new series has none, and takes collect.source when set', () => {
    const home = tempHome();
    const none = pulse(['collect', 'ACME', '--interval', '1d', '--from', '2024-01-01', '--to', '2024-02-01', '--home', home]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no source to collect ACME 1d from.*one of: synthetic, yahoo, binance, csv/);
    const configured = pulse(['collect', 'ACME', '--interval', '1d', '--from', '2024-01-01', '--to', '2024-02-01', '--home', home, '--json'], {
      env: { PULSE__COLLECT__SOURCE: 'synthetic' },
    });
    expect(configured.status, configured.stderr).toBe(0);
    expect(storedBars(home, 'ACME')[0].sources).toBe('synthetic');
    // From now on the series' recorded source is used, whatever the configuration says.
    const again = pulse(['collect', 'ACME', '--interval', '1d', '--to', '2024-03-01', '--home', home, '--json'], { env: { PULSE__COLLECT__SOURCE: 'yahoo' } });
    expect(again.status, again.stderr).toBe(0);
    expect(again.json().result.symbols[0].source).toBe('synthetic');
  });

  it('refuses a file of another interval with exit 3 and infers the interval when none is given', () => {
    const home = tempHome();
    const daily = join(home, 'daily.csv');
    writeFileSync(daily, barsCsv(300, DAY, Date.UTC(2023, 0, 2), { weekdays: true }));
    const asHourly = pulse(['collect', 'GOOG', '--file', daily, '--interval', '1h', '--home', home]);
    expect(asHourly.status).toBe(3);
    expect(asHourly.stderr).toMatch(/the file holds 1d bars, not 1h.*pass --interval 1d/);

    const fiveMin = join(home, '5m.csv');
    writeFileSync(fiveMin, barsCsv(600, 300_000, Date.UTC(2024, 0, 1)));
    const asHour = pulse(['collect', 'BTC-USD', '--file', fiveMin, '--interval', '1h', '--home', home]);
    expect(asHour.status).toBe(3);
    expect(asHour.stderr).toMatch(/the file holds 5m bars, not 1h.*pass --interval 5m \(or leave it out\), with --resample 1h/);
    const hourlyAsDaily = pulse(['collect', 'BTC-USD', '--file', fiveMin, '--interval', '1d', '--home', home]);
    expect(hourlyAsDaily.status).toBe(3);
    expect(hourlyAsDaily.stderr).toMatch(/the file holds 5m bars, not 1d/);
    expect(storedBars(home, 'GOOG')).toEqual([]);
    expect(storedBars(home, 'BTC-USD')).toEqual([]);

    const inferred = pulse(['collect', 'BTC-USD', '--file', fiveMin, '--resample', '1h', '--home', home, '--json']);
    expect(inferred.status, inferred.stderr).toBe(0);
    expect(inferred.json().result.interval).toBe('5m');
    expect(storedBars(home, 'BTC-USD').map((s) => `${s.interval}:${s.n}`)).toEqual(['1h:50', '5m:600']);
    const runs = pulse(['data', 'runs', '--home', home, '--json']).json().result.runs;
    expect(runs.map((r: { status: string; interval: string }) => `${r.status}:${r.interval}`)).toEqual(['ok:5m', 'failed:1d', 'failed:1h', 'failed:1h']);
  });

  it('exits 3 when every row is rejected, and names the reasons with counts', () => {
    const home = tempHome();
    const file = join(home, 'bad.csv');
    const lines = ['timestamp,open,high,low,close,volume'];
    for (let i = 0; i < 100; i++) lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * DAY).toISOString()},10,9,11,10,5`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = pulse(['collect', 'BAD', '--file', file, '--interval', '1d', '--home', home, '--json']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/BAD: 100 of 100 rows quarantined \(high_low_inconsistent x100\): nothing stored/);
    expect(r.json().result.symbols[0].status).toBe('rejected');
    expect(r.json().result.status).toBe('failed');
  });

  it('blames the grid for an off-hour file, not an exchange session, and snaps it with --align floor', () => {
    const home = tempHome();
    const file = join(home, 'half.csv');
    writeFileSync(file, barsCsv(48, 3_600_000, Date.UTC(2024, 0, 1, 0, 30)));
    const r = pulse(['collect', 'EURUSD', '--file', file, '--interval', '1h', '--home', home]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/48 of 48 rows quarantined \(misaligned_timestamp x48\): nothing stored \(most rows are off the 1h grid: pass --align floor/);
    expect(r.stderr).not.toMatch(/session open/);
    const snapped = pulse(['collect', 'EURUSD', '--file', file, '--interval', '1h', '--align', 'floor', '--home', home, '--json']);
    expect(snapped.status, snapped.stderr).toBe(0);
    const s = snapped.json().result.symbols[0];
    expect(s).toMatchObject({ status: 'ok', inserted: 48, snapped: 48 });
    expect(s.notes.join(' ')).toMatch(/--align floor snapped 48 timestamps to the 1h grid \(by up to 30m\)/);
    expect(s.first).toBe(Date.UTC(2024, 0, 1, 0));
  });

  it('applies --from/--to to a file', () => {
    const home = tempHome();
    const file = join(home, 'd.csv');
    writeFileSync(file, barsCsv(40, DAY, Date.UTC(2024, 0, 1)));
    const r = pulse(['collect', 'X', '--file', file, '--from', '2024-01-10', '--to', '2024-01-20', '--home', home, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = r.json().result.symbols[0];
    expect(s).toMatchObject({ fetched: 10, inserted: 10, first: Date.UTC(2024, 0, 10), last: Date.UTC(2024, 0, 19) });
    expect(s.notes.join(' ')).toMatch(/30 rows outside --from\/--to left out/);
  });
});
