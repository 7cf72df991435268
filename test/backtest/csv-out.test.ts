import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EQUITY_CSV_COLUMNS,
  TRADE_CSV_COLUMNS,
  equityCsvBlocks,
  equityToCsv,
  formatCsvNumber,
  formatCsvText,
  formatCsvTime,
  tradesToCsv,
  writeEquityCsv,
  writeTradesCsv,
} from '../../src/backtest/csv-out.js';
import type { EquityCurve, Trade } from '../../src/backtest/types.js';
import { InternalError, UsageError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'pulse-csv-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trade: Trade = {
  side: 'long',
  entryIndex: 3,
  exitIndex: 7,
  entryTime: Date.UTC(2024, 0, 2, 14, 30),
  exitTime: Date.UTC(2024, 0, 8, 14, 30),
  entryPrice: 187.15000000000001,
  exitPrice: 0.1 + 0.2,
  size: 53.4,
  pnl: -1234.5678,
  returnPct: -1e-7,
  barsHeld: 4,
  fees: 1.25,
  exitReason: 'stop-loss',
};

function curve(n: number): EquityCurve {
  const c: EquityCurve = { time: new Float64Array(n), equity: new Float64Array(n), drawdownPct: new Float64Array(n), position: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    c.time[i] = Date.UTC(2020, 0, 1) + i * 3_600_000;
    c.equity[i] = 10_000 * (1 + Math.sin(i / 17) / 10) + i / 3;
    c.drawdownPct[i] = (i % 11) / 7;
    c.position[i] = i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : -0.5;
  }
  return c;
}

describe('field formatting', () => {
  it('writes shortest round-trip numbers that parse back to the same double', () => {
    const values = [0, 1, -1.5, 0.1 + 0.2, 1e-7, 123456.789, 1 / 3, 2 ** 53 + 2, 5e-324, 1.7976931348623157e308, -0];
    for (const v of values) {
      const text = formatCsvNumber(v);
      expect(Number(text)).toBe(v === 0 ? 0 : v);
      expect(text.length).toBeLessThanOrEqual(String(v).length);
    }
    expect(formatCsvNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatCsvNumber(Number.NaN)).toBe('');
    expect(formatCsvNumber(Infinity)).toBe('Infinity');
    expect(formatCsvNumber(-Infinity)).toBe('-Infinity');
  });

  it('writes ISO-8601 UTC times with milliseconds and empties invalid ones', () => {
    expect(formatCsvTime(Date.UTC(2024, 1, 29, 23, 59, 59, 7))).toBe('2024-02-29T23:59:59.007Z');
    expect(formatCsvTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatCsvTime(Number.NaN)).toBe('');
    expect(formatCsvTime(1e20)).toBe('');
  });

  it('formats times exactly like Date.toISOString across days, years, the epoch and far dates', () => {
    const rng = (seed: number) => () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const next = rng(99);
    const samples = [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, Date.UTC(2000, 1, 29, 12), -62_198_755_200_000, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_001, 8.64e15, -8.64e15, 1.5];
    for (let i = 0; i < 5000; i++) samples.push(Math.round((next() - 0.5) * 2 * 4e12));
    // Runs of the same day exercise the day cache.
    for (let i = 0; i < 500; i++) samples.push(Date.UTC(2024, 2, 31) + i * 61_001);
    for (const ms of samples) expect(formatCsvTime(ms), String(ms)).toBe(new Date(Math.trunc(ms)).toISOString());
  });

  it('quotes text only when needed', () => {
    expect(formatCsvText('long')).toBe('long');
    expect(formatCsvText('a,b')).toBe('"a,b"');
    expect(formatCsvText('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvText('two\nlines')).toBe('"two\nlines"');
  });
});

describe('tradesToCsv', () => {
  it('writes the header in the stable column order and one row per trade', () => {
    const text = tradesToCsv([trade, { ...trade, side: 'short', exitReason: 'end' }]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('side,entryTime,exitTime,entryIndex,exitIndex,entryPrice,exitPrice,size,pnl,returnPct,barsHeld,fees,exitReason');
    expect(lines[0].split(',')).toEqual([...TRADE_CSV_COLUMNS]);
    expect(lines[1]).toBe('long,2024-01-02T14:30:00.000Z,2024-01-08T14:30:00.000Z,3,7,187.15,0.30000000000000004,53.4,-1234.5678,-1e-7,4,1.25,stop-loss');
    expect(lines[2].startsWith('short,')).toBe(true);
    expect(lines[2].endsWith(',end')).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('writes a header-only file for no trades', () => {
    expect(tradesToCsv([])).toBe(`${TRADE_CSV_COLUMNS.join(',')}\n`);
  });
});

describe('equity CSV', () => {
  it('round-trips every value of a curve exactly', () => {
    const c = curve(1000);
    const lines = equityToCsv(c).trimEnd().split('\n');
    expect(lines[0]).toBe(EQUITY_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1001);
    for (let i = 0; i < 1000; i++) {
      const [t, e, d, p] = lines[i + 1].split(',');
      expect(Date.parse(t)).toBe(c.time[i]);
      expect(Number(e)).toBe(c.equity[i]);
      expect(Number(d)).toBe(c.drawdownPct[i]);
      expect(Number(p)).toBe(c.position[i]);
    }
  });

  it('streams in blocks that join to the whole file', () => {
    const c = curve(20_000);
    const blocks = [...equityCsvBlocks(c)];
    expect(blocks.length).toBe(3);
    expect(blocks.join('')).toBe(equityToCsv(c));
    expect(blocks.join('').split('\n')).toHaveLength(20_002);
  });

  it('refuses columns of different lengths as a bug', () => {
    const c = curve(5);
    expect(() => equityToCsv({ ...c, position: new Float64Array(4) })).toThrow(InternalError);
  });
});

describe('file writers', () => {
  it('write the same text atomically and leave no temporary file', () => {
    const tradesPath = join(dir, 'trades.csv');
    const equityPath = join(dir, 'equity.csv');
    writeTradesCsv(tradesPath, [trade]);
    writeEquityCsv(equityPath, curve(10_000));
    expect(readFileSync(tradesPath, 'utf8')).toBe(tradesToCsv([trade]));
    expect(readFileSync(equityPath, 'utf8')).toBe(equityToCsv(curve(10_000)));
    expect(readdirSync(dir).sort()).toEqual(['equity.csv', 'trades.csv']);
  });

  it('raise a UsageError naming the option when the directory does not exist', () => {
    const bad = join(dir, 'missing', 'trades.csv');
    expect(() => writeTradesCsv(bad, [trade])).toThrow(UsageError);
    expect(() => writeEquityCsv(bad, curve(3))).toThrow(/cannot write the --equity file .*missing.*ENOENT/);
  });
});
