import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse, pulseAsync } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

function barCount(home: string, symbol: string, interval: string): number {
  const db = new Database(join(home, 'data', 'pulse.db'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM bars WHERE symbol = ? AND interval = ?').pluck().get(symbol, interval) as number;
  } finally {
    db.close();
  }
}

describe.skipIf(!HAS_BUILD)('pulse collect end to end', () => {
  const tempHome = useTempHome();

  it('collects synthetic bars, then a second run changes nothing', () => {
    const home = tempHome();
    const args = ['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2020-01-01', '--to', '2021-01-01', '--home', home, '--json'];
    const first = pulse(args);
    expect(first.status, first.stderr).toBe(0);
    const a = first.json().result;
    expect(a.status).toBe('ok');
    expect(a.totals.inserted).toBeGreaterThan(240);
    expect(a.totals.inserted).toBe(a.totals.fetched - a.totals.quarantined);
    const second = pulse(args).json().result;
    expect(second.totals).toMatchObject({ inserted: 0, updated: 0, unchanged: a.totals.inserted });
    expect(barCount(home, 'ACME', '1d')).toBe(a.totals.inserted);
    const runs = pulse(['data', 'runs', '--home', home, '--json']).json().result.runs;
    expect(runs).toHaveLength(2);
    expect(runs[0].status).toBe('ok');
  });

  it('quarantines bad CSV rows with their raw form, counts revisions, and exports what it stores', () => {
    const home = tempHome();
    const csv = join(home, 'in.csv');
    writeFileSync(
      csv,
      [
        'Date,Open,High,Low,Close,Adj Close,Volume',
        '2024-01-03,10,11,9,10.5,10.4,1000',
        '2024-01-02,10,11,9,10.2,10.1,1000',
        '2024-01-04,10,9,9.5,10,10,1000',
        '2024-01-05,10,11,9,abc,10,1000',
        '2024-01-08,-1,11,9,10,10,1000',
        '2024-01-09,10,11,9,10.1,10,-5',
        '2024-01-10,10,11,9,10.3,10.2,1200',
        '1969-12-31,10,11,9,10,10,1000',
        '2999-01-01,10,11,9,10,10,1000',
      ].join('\n') + '\n',
    );
    const r = pulse(['collect', 'TEST', '--source', 'csv', '--file', csv, '--interval', '1d', '--home', home, '--json']);
    // Two thirds of the rows quarantined is over collect.maxQuarantinePct: exit 3, the valid rows kept.
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/TEST: 6 of 9 rows quarantined \(.*\): 66\.7% is over collect\.maxQuarantinePct \(5%\); the other rows were stored/);
    const res = r.json().result;
    expect(res.symbols[0].status).toBe('suspect');
    expect(res.totals).toMatchObject({ fetched: 9, inserted: 3, quarantined: 6 });
    expect(res.symbols[0].wasUnsorted).toBe(true);
    expect(Object.keys(res.symbols[0].quarantineReasons).sort()).toEqual([
      'before_1970',
      'future_timestamp',
      'high_low_inconsistent',
      'negative_volume',
      'non_finite',
      'non_positive_price',
    ]);
    const q = pulse(['data', 'quarantine', 'ls', '--home', home, '--json']).json().result;
    expect(q.rows).toHaveLength(6);
    expect(q.rows.map((x: { raw: string }) => x.raw)).toContain('2024-01-05,10,11,9,abc,10,1000');

    writeFileSync(csv, 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-03,10,11,9,10.6,10.5,1000\n2024-01-10,10,11,9,10.3,10.2,1200\n');
    const rev = pulse(['collect', 'TEST', '--source', 'csv', '--file', csv, '--interval', '1d', '--home', home, '--json']).json().result;
    expect(rev.totals).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });

    const out = join(home, 'export.csv');
    expect(pulse(['data', 'export', 'TEST', '--interval', '1d', '--out', out, '--home', home]).status).toBe(0);
    const exported = readFileSync(out, 'utf8');
    expect(exported.split('\n')[0]).toBe('timestamp,open,high,low,close,adj_close,volume');
    expect(exported).toContain('2024-01-03T00:00:00.000Z,10,11,9,10.6,10.5,1000');
    // Re-importing the export into another home reproduces the same rows.
    const other = tempHome();
    expect(pulse(['collect', 'TEST', '--source', 'csv', '--file', out, '--interval', '1d', '--home', other]).status).toBe(0);
    const out2 = join(other, 'export.csv');
    pulse(['data', 'export', 'TEST', '--interval', '1d', '--out', out2, '--home', other]);
    expect(readFileSync(out2, 'utf8')).toBe(exported);
  });

  it('refuses unreadable, empty and time-less CSV files with exit 3, storing nothing', () => {
    const home = tempHome();
    const missing = pulse(['collect', 'X', '--source', 'csv', '--file', join(home, 'nope.csv'), '--home', home]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('no such file');
    const empty = join(home, 'empty.csv');
    writeFileSync(empty, '');
    expect(pulse(['collect', 'X', '--source', 'csv', '--file', empty, '--home', home]).status).toBe(3);
    const notime = join(home, 'notime.csv');
    writeFileSync(notime, 'open,high,low,close\n1,2,0.5,1.5\n');
    const r = pulse(['collect', 'X', '--source', 'csv', '--file', notime, '--home', home]);
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reads CSV from stdin and imports an external series', () => {
    const home = tempHome();
    const bars = 'timestamp,open,high,low,close,volume\n2024-03-01T10:00:00Z,1,2,0.5,1.5,10\n2024-03-01T11:00:00Z,1.5,2,1,1.8,12\n';
    const r = pulse(['collect', 'BTC-USD', '--source', 'csv', '--file', '-', '--interval', '1h', '--home', home, '--json'], { input: bars });
    expect(r.status, r.stderr).toBe(0);
    expect(r.json().result.totals.inserted).toBe(2);
    const s = pulse(['collect', '--source', 'csv', '--series', 'sentiment', '--file', '-', '--home', home, '--json'], { input: 'timestamp,value\n2024-03-01,0.25\n2024-03-02,-0.5\n2024-03-03,oops\n' });
    expect(s.status, s.stderr).toBe(0);
    expect(s.json().result.series).toMatchObject({ name: 'sentiment', inserted: 2, quarantined: 1 });
  });

  it('resamples collected bars into coarser intervals', () => {
    const home = tempHome();
    const r = pulse(['collect', 'BTC-USD', '--source', 'synthetic', '--interval', '1h', '--from', '2024-01-01', '--to', '2024-01-15', '--resample', '4h,1d', '--home', home, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const sym = r.json().result.symbols[0];
    expect(sym.resampled.map((x: { interval: string }) => x.interval)).toEqual(['4h', '1d']);
    expect(barCount(home, 'BTC-USD', '4h')).toBe(Math.floor(barCount(home, 'BTC-USD', '1h') / 4));
    const ls = pulse(['data', 'ls', '--home', home, '--json']).json().result.series;
    expect(ls.find((s: { interval: string }) => s.interval === '4h').derivedFrom).toBe('1h');
  });

  it('overlapping runs on one home all succeed with --wait, without lost or duplicated rows', async () => {
    const home = tempHome();
    const runs = ['AAA', 'BBB', 'AAA', 'CCC'].map((sym) =>
      pulseAsync(['collect', sym, '--source', 'synthetic', '--interval', '1h', '--from', '2023-01-01', '--to', '2023-03-01', '--wait', '--home', home, '--json']),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const expected = results[0].json().result.totals.fetched - results[0].json().result.totals.quarantined;
    expect(barCount(home, 'AAA', '1h')).toBe(expected);
    const inserted = results.filter((_, i) => i === 0 || i === 2).map((r) => r.json().result.totals.inserted);
    expect(inserted[0] + inserted[1]).toBe(expected);
  });

  it('exits 130 on Ctrl-C and records the run as interrupted', async () => {
    const home = tempHome();
    expect(pulse(['init', '--home', home]).status).toBe(0);
    const run = pulseAsync(['collect', 'X', '--source', 'csv', '--file', '-', '--home', home], { stdin: 'pipe' });
    run.child.stdin?.write('timestamp,open,high,low,close,volume\n');
    // Wait until the run is recorded as running (the process is then waiting on stdin), however slow the machine.
    const started = Date.now();
    while (Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 200));
      const runs = pulse(['data', 'runs', '--home', home, '--json']);
      if (runs.status === 0 && runs.json().result.runs.some((x: { status: string }) => x.status === 'running')) break;
    }
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status).toBe(130);
    const runs = pulse(['data', 'runs', '--home', home, '--json']).json().result.runs;
    expect(runs[0].status).toBe('interrupted');
  });

  it('runs the demo on a fresh home', () => {
    const home = tempHome();
    const r = pulse(['demo', '--home', join(home, 'demo'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const res = r.json().result;
    expect(res.series.map((s: { symbol: string; interval: string }) => `${s.symbol}/${s.interval}`)).toEqual(
      expect.arrayContaining(['ACME/1d', 'GLOBEX/1d', 'BTC-USD/1h', 'BTC-USD/4h', 'BTC-USD/1d']),
    );
  });
});
