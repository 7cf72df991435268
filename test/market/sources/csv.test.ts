import { readFileSync, createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CsvSource,
  decodeCsvBytes,
  parseCsvBars,
  parseCsvSeries,
  parseDecimal,
  readCsvBars,
  readCsvSeries,
} from '../../../src/market/sources/csv.js';
import type { SourceRow } from '../../../src/core/bars.js';
import { generateSeries } from '../../../src/market/sources/synthetic.js';
import { Rng } from '../../../src/core/rng.js';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { fixturePath, HAS_SHARED, sharedPath } from '../../helpers/shared.js';
import { readSharedRows } from '../shared-csv.js';

const values = (r: SourceRow): number[] => [r.ts, r.open, r.high, r.low, r.close, r.volume];
const time = (cell: string, interval: '1m' | '1d' | '1wk' | '1mo' = '1m', tz?: string): number =>
  parseCsvBars(`time,open,high,low,close\n${cell},1,1,1,1\n2024-01-01,1,1,1,1\n`, { interval, tz }).rows[0].ts;

describe('parseCsvBars: header layouts', () => {
  it.each([
    ['timestamp,open,high,low,close,volume', ','],
    ['Date,Open,High,Low,Close,Adj Close,Volume', ','],
    ['Datetime,Open,High,Low,Close,Volume', ','],
    ['TIME,O,H,L,C,V', ','],
    ['Open time,Open,High,Low,Close,Volume,Close time', ','],
    [',Open,High,Low,Close,Volume', ','],
    ['date;open;high;low;close;volume', ';'],
    ['time\topen\thigh\tlow\tclose\tvolume', '\t'],
  ])('%j', (header, d) => {
    const cols = header.split(d).length;
    const cells = ['2024-01-02T10:00:00Z', '1.5', '2', '1', '1.75', '12', '7', '9'].slice(0, cols);
    const { rows } = parseCsvBars(`${header}\n${cells.join(d)}\n`, { interval: '1h' });
    expect(rows).toHaveLength(1);
    expect(values(rows[0])).toEqual([Date.UTC(2024, 0, 2, 10), 1.5, 2, 1, 1.75, header.includes('Adj') ? 7 : 12]);
  });

  it('reads Yahoo-style daily CSV with CRLF, Adj Close and a null volume', () => {
    const { rows, info, notes } = parseCsvBars(readFileSync(fixturePath('csv', 'yahoo-daily.csv'), 'utf8'), { interval: '1d' });
    expect(info.mapping).toEqual({ time: 'Date', open: 'Open', high: 'High', low: 'Low', close: 'Close', adjClose: 'Adj Close', volume: 'Volume' });
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({
      ts: Date.UTC(2024, 0, 2), open: 187.149994, high: 188.440002, low: 183.889999, close: 185.639999, volume: 82488700, adjClose: 184.532089,
      raw: '2024-01-02,187.149994,188.440002,183.889999,185.639999,184.532089,82488700',
    });
    expect(rows[5].volume).toBeNaN(); // "null": validation quarantines the row, nothing lost
    expect(rows[5].raw).toBe('2024-01-09,183.919998,185.149994,182.729996,185.139999,184.035065,null');
    expect(notes.join(' ')).toMatch(/calendar date/);
  });

  it('defaults volume to 0 with a note when there is no volume column', () => {
    const out = parseCsvBars('date,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n', { interval: '1d' });
    expect(out.rows[0].volume).toBe(0);
    expect(out.notes).toContain('no volume column: volume recorded as 0');
  });

  it('names the columns found and the ones accepted when the time or price columns are missing', () => {
    const noTime = () => parseCsvBars('when,open,high,low,close\nx,1,1,1,1\n', { interval: '1d' });
    expect(noTime).toThrow(DataError);
    expect(noTime).toThrow(/no recognisable time column \(found: when, open, high, low, close\)/);
    try {
      noTime();
    } catch (err) {
      expect((err as DataError).hint).toMatch(/timestamp, datetime, date, time/);
      expect((err as DataError).hint).toMatch(/--time-column/);
    }
    expect(() => parseCsvBars('date,open,close\n2024-01-01,1,1\n', { interval: '1d' })).toThrow(/lacks price columns high, low \(found: date, open, close\)/);
    expect(() => parseCsvBars('date,open,high,low,close\n', { interval: '1d', timeColumn: 'when' })).toThrow(/no column "when"/);
    expect(() => parseCsvBars('\n\n', { interval: '1d' })).toThrow(/empty/);
    expect(() => parseCsvBars('date,open,high,low,close\n01/02/2024,1,1,1,1\n', { interval: '1d' })).toThrow(/cannot read the times in column "date"/);
  });

  it('uses --time-column over the automatic choice', () => {
    const text = 'date,close_time,open,high,low,close\n2024-01-01,2024-01-02T00:00:00Z,1,1,1,1\n';
    expect(parseCsvBars(text, { interval: '1h' }).rows[0].ts).toBe(Date.UTC(2024, 0, 1));
    expect(parseCsvBars(text, { interval: '1h', timeColumn: 'Close_Time' }).rows[0].ts).toBe(Date.UTC(2024, 0, 2));
  });
});

describe('parseCsvBars: timestamps', () => {
  it.each([
    ['2024-03-05T14:30:00Z', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05T14:30:00.250Z', Date.UTC(2024, 2, 5, 14, 30, 0, 250)],
    ['2024-03-05T14:30Z', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05T15:30:00+01:00', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05T09:30:00-0500', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05T16:30:00+02', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05 14:30:00', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05 14:30', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05', Date.UTC(2024, 2, 5)],
    ['2024/03/05', Date.UTC(2024, 2, 5)],
    ['2024.03.05', Date.UTC(2024, 2, 5)],
    ['20240305', Date.UTC(2024, 2, 5)],
    ['1709649000', Date.UTC(2024, 2, 5, 14, 30)],
    ['1709649000.5', Date.UTC(2024, 2, 5, 14, 30, 0, 500)],
    ['1709649000000', Date.UTC(2024, 2, 5, 14, 30)],
    ['1709649000000000', Date.UTC(2024, 2, 5, 14, 30)],
    ['1709649000000000000', Date.UTC(2024, 2, 5, 14, 30)],
    [' 2024-03-05T14:30:00Z ', Date.UTC(2024, 2, 5, 14, 30)],
    ['1899-12-31', Date.UTC(1899, 11, 31)],
  ])('%s', (cell, expected) => {
    expect(time(cell)).toBe(expected);
  });

  it.each(['03/05/2024', '2024-02-30', '2024-13-01', '2024-03-05T24:00:00Z', '2024-03-05T14:60', '2024-03-05X14:30', '2024-03-05T14:30:00+1', 'soon', ''])(
    '%j is unreadable (NaN)',
    (cell) => {
      expect(time(cell)).toBeNaN();
    },
  );

  it('reads naive timestamps in --tz, across daylight saving time, and leaves explicit offsets alone', () => {
    expect(time('2024-01-02 09:30:00', '1m', 'America/New_York')).toBe(Date.UTC(2024, 0, 2, 14, 30));
    expect(time('2024-07-01 09:30:00', '1m', 'America/New_York')).toBe(Date.UTC(2024, 6, 1, 13, 30));
    expect(time('2024-03-31 03:00:00', '1m', 'Europe/Berlin')).toBe(Date.UTC(2024, 2, 31, 1)); // first hour of CEST
    expect(time('2024-01-02T09:30:00Z', '1m', 'America/New_York')).toBe(Date.UTC(2024, 0, 2, 9, 30));
    expect(time('2024-01-02 09:30', '1m', 'UTC')).toBe(Date.UTC(2024, 0, 2, 9, 30));
    expect(() => time('2024-01-02', '1m', 'Mars/Olympus')).toThrow(UsageError);
  });

  it('keys daily rows by the written calendar date and weekly/monthly rows by their bucket', () => {
    expect(time('2020-08-31T13:30:00Z', '1d')).toBe(Date.UTC(2020, 7, 31)); // Yahoo stamps the session open
    expect(time('2020-08-31T23:30:00-04:00', '1d')).toBe(Date.UTC(2020, 7, 31));
    expect(time('2020-08-31 09:30', '1d', 'Asia/Tokyo')).toBe(Date.UTC(2020, 7, 31));
    expect(time('1598880600', '1d')).toBe(Date.UTC(2020, 7, 31)); // epoch: its UTC date
    expect(time('2012-01-31', '1mo')).toBe(Date.UTC(2012, 0, 1)); // month-end label -> its month
    expect(time('2024-01-07', '1wk')).toBe(Date.UTC(2024, 0, 1)); // a Sunday week-end label -> its ISO week
  });
});

describe('parseCsvBars: numbers and malformed rows', () => {
  it('parses decimals exactly as Number does (property test, 60 000 random lexemes)', () => {
    const rng = new Rng(7);
    for (let k = 0; k < 20_000; k++) {
      const intDigits = rng.int(12);
      const fracDigits = rng.int(20);
      let s = rng.bernoulli(0.1) ? '-' : '';
      for (let i = 0; i < intDigits; i++) s += String(rng.int(10));
      if (fracDigits > 0 || intDigits === 0) s += '.';
      for (let i = 0; i < Math.max(fracDigits, intDigits === 0 ? 1 : 0); i++) s += String(rng.int(10));
      if (rng.bernoulli(0.05)) s += `e${rng.int(40) - 20}`;
      expect(Object.is(parseDecimal(s, 0, s.length), Number(s)), s).toBe(true);
    }
    // 16-22 digit lexemes (full-precision exports), including exact ties between two doubles (odd integers
    // above 2^53) that must round half to even as Number does
    for (let k = 0; k < 20_000; k++) {
      const m = (2n ** BigInt(53 + rng.int(6)) + BigInt(rng.int(2 ** 30)) * BigInt(rng.int(2 ** 20) + 1)) | 1n;
      const digits = m.toString();
      const f = rng.int(digits.length);
      const s = f === 0 ? digits : `${digits.slice(0, digits.length - f)}.${digits.slice(digits.length - f)}`;
      expect(Object.is(parseDecimal(s, 0, s.length), Number(s)), s).toBe(true);
      const price = String(rng.next() * 10 ** (rng.int(8) - 2));
      expect(parseDecimal(price, 0, price.length), price).toBe(Number(price));
    }
    for (const s of ['523374743.8000000119', '0.0000533', '1e-08', '+3.5', '.5', '5.', '9007199254740993', '0.1000000000000000055511151231257827']) {
      expect(parseDecimal(s, 0, s.length)).toBe(Number(s));
    }
    for (const s of ['', ' ', 'null', 'NaN', 'abc', '1,5', '0x10', '1.2.3', '--1', 'Infinity', '1e']) {
      expect(parseDecimal(s, 0, s.length), JSON.stringify(s)).toBeNaN();
    }
  });

  it('turns malformed fields and short rows into NaN and keeps every line as raw', () => {
    const text = readFileSync(fixturePath('csv', 'semicolon-naive.csv'), 'utf8');
    const { rows } = parseCsvBars(text, { interval: '1m', tz: 'America/New_York' });
    expect(rows.map((r) => r.raw)).toEqual(text.trim().split('\n').slice(1));
    expect(rows[0].ts).toBe(Date.UTC(2024, 2, 8, 19, 30)); // EST: UTC-5
    expect(rows[2].high).toBeNaN();
    expect(rows[2].close).toBe(10.72);
    expect(rows[3].volume).toBeNaN();
    expect(rows[3].low).toBe(10.7);
  });

  it('the fused fast path and the generic field splitter agree on awkward lines', () => {
    const body = [
      '2024-01-01T00:00:00Z,1.5,2,1,1.75,10,1.7',
      '2024-01-01T00:01:00Z, 1.5 ,2 ,+1,1.75e0,,',
      '2024-01-01T00:02:00Z,-1,2,1,1.75,1e3,null',
      '2024-01-01T00:03:00Z,1.5,2',
      '2024-01-01T00:04:00Z,1.5,2,1,1.75,10,1.7,extra,fields',
      '2024-01-01T00:05:00Z,1.5,2,1,1.75,0.000000000000000000000001,1.7',
      '2024-01-01T00:06:00Z,12345678901234567890,2,1,1.75,.5,5.',
      'garbage',
      ',,,,,,',
      '2024-01-01T00:07:00Z,1.5,2,1,1.75,10,',
    ];
    const header = 'timestamp,open,high,low,close,volume,adj close';
    for (const eol of ['\n', '\r\n']) {
      const plain = parseCsvBars([header, ...body].join(eol) + eol, { interval: '1m' });
      const generic = parseCsvBars([`${header},"x"`, ...body].join(eol) + eol, { interval: '1m' });
      expect(plain.info.quoted).toBe(false);
      expect(generic.info.quoted).toBe(true);
      const all = (r: SourceRow): unknown[] => [...values(r), r.adjClose, r.raw];
      expect(plain.rows.map(all)).toEqual(generic.rows.map(all));
      expect(plain.rows.map((r) => r.raw)).toEqual(body);
    }
  });

  it('handles a BOM, CRLF, blank and trailing lines', () => {
    const text = '\ufeff\r\ntimestamp,open,high,low,close,volume\r\n2024-01-01T00:00:00Z,1,2,0.5,1.5,3\r\n\r\n2024-01-01T00:01:00Z,1,2,0.5,1.5,4\r\n\r\n';
    const { rows } = parseCsvBars(text, { interval: '1m' });
    expect(rows.map((r) => r.volume)).toEqual([3, 4]);
    expect(rows[1].raw).toBe('2024-01-01T00:01:00Z,1,2,0.5,1.5,4');
  });
});

describe('the fast path and the csv-parse fallback', () => {
  it('agree on every value of a synthetic series written plain and fully quoted', () => {
    const s = generateSeries({ symbol: 'BTC-USD', interval: '5m', bars: 3000, seed: 3, start: Date.UTC(2024, 0, 1) });
    const plain: string[] = ['timestamp,open,high,low,close,volume'];
    const quoted: string[] = ['"timestamp","open","high","low","close","volume"'];
    for (let i = 0; i < s.length; i++) {
      const cells = [new Date(s.time[i]).toISOString(), s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i]].map(String);
      if (i % 97 === 5) cells[2] = 'bad';
      plain.push(cells.join(','));
      quoted.push(cells.map((c) => `"${c}"`).join(','));
    }
    const a = parseCsvBars(plain.join('\n'), { interval: '5m' });
    const b = parseCsvBars(quoted.join('\n'), { interval: '5m' });
    expect(a.info.quoted).toBe(false);
    expect(b.info.quoted).toBe(true);
    expect(b.notes).toContain('quoted fields: parsed with csv-parse');
    expect(b.rows.map(values)).toEqual(a.rows.map(values));
    expect(b.rows.map((r) => r.raw)).toEqual(quoted.slice(1));
    expect(a.rows[5].high).toBeNaN();
    expect(a.rows[100].close).toBe(s.close[100]); // full-precision round trip
  });

  it('reads a quoted Binance-style export with a BOM and a thousands separator', async () => {
    const { rows, info } = await readCsvBars(createReadStream(fixturePath('csv', 'binance-quoted.csv')), { interval: '1h' });
    expect(info.quoted).toBe(true);
    expect(info.mapping.time).toBe('Open time');
    expect(values(rows[0])).toEqual([Date.UTC(2024, 0, 1), 42283.58, 42554.57, 42261.02, 42475.23, 1271.68108]);
    expect(rows[2].volume).toBeNaN(); // "1,011.2" is not a number pulse guesses at
    expect(rows[2].raw).toContain('"1,011.2"');
  });
});

describe('the fast path and the csv-parse fallback on random awkward input', () => {
  it('agree on 1500 seeded files: layouts, delimiters, short and long rows, odd fields, CRLF, blank lines', () => {
    const rng = new Rng(11);
    const pick = <T,>(xs: readonly T[]): T => xs[rng.int(xs.length)];
    const fields = ['1', '1.5', '-2.25', '+3', '', ' 4 ', '1e3', 'null', 'NaN', '12345678901234567890', '.5', '5.', '-', '+', '1.2.3', 'abc', '0.000000000000000000000001', '9007199254740993'];
    const stamps = ['2024-01-01T00:00:00Z', '2024-01-01T00:01:00.000Z', '1577836800', '1577836800000', '1577836800.5', '2024-01-01 09:30', '20240102', 'garbage', '', ' 2024-01-01T00:02:00Z ', '2024-01-01T00:00:00+01:00'];
    for (let t = 0; t < 1500; t++) {
      const d = pick([',', ';', '\t']);
      const header = ['timestamp', 'open', 'high', 'low', 'close'];
      if (rng.next() < 0.5) header.push('adj close');
      if (rng.next() < 0.8) header.push('volume');
      if (rng.next() < 0.3) header.splice(rng.int(header.length + 1), 0, 'note');
      for (let k = header.length - 1; k > 0; k--) {
        const j = rng.int(k + 1);
        [header[k], header[j]] = [header[j], header[k]];
      }
      const eol = pick(['\n', '\r\n']);
      const lines: string[] = [];
      for (let r = rng.int(12); r > 0; r--) {
        if (rng.next() < 0.05) {
          lines.push('');
          continue;
        }
        const width = header.length + (rng.next() < 0.2 ? rng.int(5) - 2 : 0);
        lines.push(Array.from({ length: Math.max(0, width) }, (_, c) => (header[c] === 'timestamp' ? pick(stamps) : pick(fields))).join(d));
      }
      const body = lines.join(eol) + (rng.next() < 0.7 ? eol : '');
      const interval = pick(['1m', '1d', '1wk'] as const);
      const read = (head: string) => {
        try {
          return parseCsvBars(head + eol + body, { interval });
        } catch (err) {
          return (err as Error).message.replace(/row: [\r\n]+/, 'row: ');
        }
      };
      const plain = read(header.join(d));
      const generic = read(`${header.join(d)}${d}"x"`);
      if (typeof plain === 'string' || typeof generic === 'string') {
        expect(plain).toEqual(generic);
        continue;
      }
      expect(plain.info.quoted).toBe(false);
      // (not generated: a whitespace-only adjusted close, missing to csv-parse's trim but unreadable to the fast
      // path; csv-parse's raw record of a row after a blank line starts with that line's break)
      const all = (r: SourceRow): unknown[] => [...values(r), r.adjClose, r.raw.replace(/^[\r\n]+/, '')];
      expect(plain.rows.map(all), JSON.stringify(header.join(d) + eol + body)).toEqual(generic.rows.map(all));
      expect(plain.rows.every((r) => !/[\r\n]/.test(r.raw))).toBe(true);
    }
  });
});

describe('inputs and sources', () => {
  it('reads a stream split at arbitrary byte boundaries, including inside a multi-byte character', async () => {
    const text = 'date,open,high,low,close,volume,note\n2024-01-02,1,2,0.5,1.5,3,café ☕\n2024-01-03,1,2,0.5,1.5,4,naïve\n';
    const bytes = Buffer.from(text, 'utf8');
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 64), bytes.subarray(64, 65), bytes.subarray(65)];
    const fromStream = await readCsvBars(Readable.from(chunks), { interval: '1d' });
    expect(fromStream.rows).toEqual(parseCsvBars(text, { interval: '1d' }).rows);
    expect(fromStream.rows[0].raw).toBe('2024-01-02,1,2,0.5,1.5,3,café ☕');
  });

  it('decodes file bytes as UTF-8 without a BOM, ASCII or not', () => {
    for (const text of ['timestamp,open\n2024-01-01,1\n', '\ufefftimestamp,note\n2024-01-01,café ☕\n', '\ufeffa,b\n', '', '\u007f\u0080']) {
      const bytes = Buffer.from(text, 'utf8');
      expect(decodeCsvBytes(bytes)).toBe(text.replace(/^\ufeff/, ''));
      expect(decodeCsvBytes(new Uint8Array(bytes))).toBe(text.replace(/^\ufeff/, ''));
    }
    expect(decodeCsvBytes(Buffer.from([0x61, 0xe9, 0x62]))).toBe('a\ufffdb'); // Latin-1 bytes are not UTF-8
  });

  it('CsvSource returns the rows in [from, to), keeping unreadable times for quarantine', async () => {
    const text = 'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,1,1,1,1\nnever,1,1,1,1,1\n2024-01-01T01:00:00Z,1,1,1,1,1\n2024-01-01T02:00:00Z,1,1,1,1,1\n';
    const src = new CsvSource({ input: text });
    const { rows } = await src.fetch({ symbol: 'X', interval: '1h', from: Date.UTC(2024, 0, 1, 1), to: Date.UTC(2024, 0, 1, 2) });
    expect(rows.map((r) => r.raw.slice(0, 5))).toEqual(['never', '2024-']);
    expect(rows[1].ts).toBe(Date.UTC(2024, 0, 1, 1));
    expect(src.historyLimitMs()).toBeUndefined();
  });
});

describe('series import', () => {
  it('reads timestamp,value points, NaN for unreadable values, raw kept', async () => {
    const { points, info } = await readCsvSeries(createReadStream(fixturePath('csv', 'sentiment.csv')));
    expect(info.mapping).toEqual({ time: 'timestamp', value: 'value' });
    expect(points.map((p) => [p.ts, p.value])).toEqual([
      [Date.UTC(2024, 0, 1), 0.25],
      [Date.UTC(2024, 0, 2), -0.1],
      [Date.UTC(2024, 0, 3), NaN],
      [Date.UTC(2024, 0, 4), 0.4],
    ]);
    expect(points[2].raw).toBe('2024-01-03T00:00:00Z,n/a');
  });

  it('takes the only other column as the value, or a named one, and refuses ambiguity', () => {
    expect(parseCsvSeries('Date,Sentiment\n2024-01-01,0.5\n').points[0]).toEqual({ ts: Date.UTC(2024, 0, 1), value: 0.5, raw: '2024-01-01,0.5' });
    expect(parseCsvSeries('date,a,b\n2024-01-01,1,2\n', { valueColumn: 'B' }).points[0].value).toBe(2);
    expect(() => parseCsvSeries('date,a,b\n2024-01-01,1,2\n')).toThrow(/no value column \(found: date, a, b\)/);
    expect(() => parseCsvSeries('a,b\n1,2\n')).toThrow(/no recognisable time column/);
    expect(parseCsvSeries('time,value\n2024-01-01 09:00,1\n', { tz: 'Europe/London' }).points[0].ts).toBe(Date.UTC(2024, 0, 1, 9));
  });
});

describe.skipIf(!HAS_SHARED)('the shared market CSVs', () => {
  it.each([
    ['freqtrade', 'UNITTEST_BTC-1m.csv', '1m'],
    ['freqtrade', 'ADA_BTC-5m.csv', '5m'],
    ['freqtrade', 'orderflow_candles-5m.csv', '5m'],
    ['freqtrade/futures', 'XRP_USDT_USDT-8h-mark.csv', '4h'],
    ['freqtrade/futures', 'XRP_USDT_USDT-1h-mark.csv', '1h'],
    ['backtesting.py', 'EURUSD-1h.csv', '1h'],
  ] as const)('%s/%s reads to the same numbers as a naive reader', async (dir, file, interval) => {
    const expected = readSharedRows(...dir.split('/'), file);
    const { rows } = await readCsvBars(createReadStream(sharedPath('data', 'market', ...dir.split('/'), file)), { interval });
    expect(rows.length).toBe(expected.length);
    expect(rows.map(values)).toEqual(expected.map(values));
    expect(rows.map((r) => r.raw)).toEqual(expected.map((r) => r.raw));
  });

  it('reads the original backtesting.py files (pandas index column, space-separated times) like their normalised twins', () => {
    for (const [orig, twin, interval] of [['GOOG.csv', 'GOOG-1d.csv', '1d'], ['EURUSD.csv', 'EURUSD-1h.csv', '1h'], ['BTCUSD.csv', 'BTCUSD-1mo.csv', '1mo']] as const) {
      const a = parseCsvBars(readFileSync(sharedPath('data', 'market', 'backtesting.py', 'original', orig), 'utf8'), { interval });
      const b = parseCsvBars(readFileSync(sharedPath('data', 'market', 'backtesting.py', twin), 'utf8'), { interval });
      expect(a.info.mapping.time).toBe('');
      expect(a.rows.map(values)).toEqual(b.rows.map(values));
    }
  });

  it('keys the Yahoo daily rows (stamped 13:30/14:30Z) at 00:00 UTC of their date', () => {
    const { rows } = parseCsvBars(readFileSync(sharedPath('data', 'market', 'yahoo-finance2', 'csv', 'AAPL-1d.csv'), 'utf8'), { interval: '1d' });
    expect(rows[0].ts).toBe(Date.UTC(2020, 7, 31));
    expect(rows.every((r) => r.ts % 86_400_000 === 0)).toBe(true);
  });
});
