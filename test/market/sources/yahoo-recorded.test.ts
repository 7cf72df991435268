/**
 * Replays the real Yahoo chart responses recorded by yahoo-finance2's own test suite (../shared, see its
 * README) through the Yahoo source, end to end: the library builds the request, the replayer answers with the
 * recorded bytes, pulse converts. Skips cleanly when ../shared is absent.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import type { Interval } from '../../../src/core/interval.js';
import { createYahooSource } from '../../../src/market/sources/yahoo.js';
import { HAS_SHARED, sharedPath } from '../../helpers/shared.js';
import { type Recording, createReplayer, loadRecording, recordingSleep, routeOf } from './replayer.js';

const DAY = 86_400_000;
const REACH_S = 14 * 3600;
/** Daily requests reach 14 h past both ends of the range (see yahoo.ts), so they match the recording by interval. */
const keysFor = (interval: Interval) => (interval === '1m' || interval === '1h' ? ['period1', 'period2', 'interval'] : ['interval']);
const FIXTURES = HAS_SHARED ? sharedPath('data', 'market', 'yahoo-finance2', 'fixtures') : '';
const YAHOO_TO_PULSE: Record<string, Interval> = { '1m': '1m', '1h': '1h', '60m': '1h', '1d': '1d', '1wk': '1wk', '1mo': '1mo' };

interface Case {
  file: string;
  rec: Recording;
  symbol: string;
  interval: Interval;
  from: number;
  to: number;
  now: number;
}

function caseOf(folder: string, file: string): Case {
  const rec = loadRecording(`${FIXTURES}/${folder}/${file}`);
  const url = new URL(rec.request.url);
  const date = rec.response.headers?.date;
  return {
    file,
    rec,
    symbol: decodeURIComponent(url.pathname.split('/').pop()!),
    interval: YAHOO_TO_PULSE[url.searchParams.get('interval')!],
    from: Number(url.searchParams.get('period1')) * 1000,
    to: Number(url.searchParams.get('period2')) * 1000,
    // The recording's own clock, so history limits apply as they did for Yahoo.
    now: Date.parse(Array.isArray(date) ? date[0] : date!),
  };
}

function run(c: Case) {
  const replay = createReplayer([routeOf(c.rec, keysFor(c.interval))]);
  const yahoo = createYahooSource({ fetch: replay.fetch, sleep: recordingSleep().sleep, rng: new Rng(1), now: () => c.now });
  return { result: yahoo.fetch({ symbol: c.symbol, interval: c.interval, from: c.from, to: c.to }), calls: replay.calls };
}

const listed = (folder: string): string[] => (HAS_SHARED ? readdirSync(`${FIXTURES}/${folder}`).filter((f) => f.endsWith('.json')).sort() : []);
const chartCases = HAS_SHARED
  ? [...listed('chart').map((f) => caseOf('chart', f)), ...listed('historical').map((f) => caseOf('historical', f))]
  : [];
type Body = { chart: { result: Array<{ timestamp?: number[]; indicators: { quote: Array<Record<string, Array<number | null>>> } }> } };
const withBars = chartCases.filter((c) => ((c.rec.response.bodyJson as Body).chart.result[0].timestamp ?? []).length > 0);

describe.skipIf(!HAS_SHARED)('Yahoo source on recorded yahoo-finance2 responses', () => {
  it('has the recorded fixtures it expects', () => {
    expect(chartCases.length).toBe(47);
    expect(withBars.length).toBe(43);
  });

  it.each(withBars.map((c) => [c.file, c] as const))('%s: one row per timestamp, one request, exact values', async (_name, c) => {
    const { result, calls } = run(c);
    const { rows } = await result;
    const chart = (c.rec.response.bodyJson as Body).chart.result[0];
    const stamps = chart.timestamp!;
    const quote = chart.indicators.quote[0];
    expect(calls).toHaveLength(1);
    const sent = new URL(calls[0]).searchParams;
    expect(Number(sent.get('period1'))).toBe(c.from / 1000 - REACH_S);
    expect(Number(sent.get('period2'))).toBe(c.to / 1000 + REACH_S);
    // `to` is exclusive on keys: Yahoo also sends a bar stamped exactly at period2 (BTC-USD, EURUSD=X), which
    // the source leaves out. Every recorded daily stamp lies on its exchange-local date in UTC too (session
    // opens, midnight New York or 00:00 UTC), so the UTC date of the stamp is an independent oracle for the key.
    const kept = stamps.map((t, i) => ({ key: Math.floor((t * 1000) / DAY) * DAY, i })).filter((k) => k.key >= c.from && k.key < c.to);
    expect(kept.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.ts)).toEqual(kept.map((k) => k.key));
    kept.forEach(({ i }, n) => {
      for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
        const v = quote[field][i];
        if (v === null) expect(rows[n][field]).toBeNaN();
        else expect(rows[n][field]).toBe(v);
      }
    });
  });

  it('full TSLA daily history (3303 bars) matches the derived CSV row for row', async () => {
    const c = chartCases.find((x) => x.file === 'historical-via-chart-dividends-TSLA-no-dividends.json')!;
    const { rows } = await run(c).result;
    const csv = readFileSync(sharedPath('data', 'market', 'yahoo-finance2', 'csv', 'TSLA-1d.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(3303);
    expect(csv).toHaveLength(3303);
    for (let i = 0; i < csv.length; i++) {
      const [stamp, open, high, low, close, volume] = csv[i].split(',');
      const t = /^\d+$/.test(stamp) ? Number(stamp) * (stamp.length <= 10 ? 1000 : 1) : Date.parse(stamp);
      expect(rows[i].ts).toBe(Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), new Date(t).getUTCDate()));
      expect([rows[i].open, rows[i].high, rows[i].low, rows[i].close, rows[i].volume]).toEqual([open, high, low, close, volume].map(Number));
    }
    // Daily keys are unique and strictly increasing across DST changes (13:30Z and 14:30Z stamps).
    for (let i = 1; i < rows.length; i++) expect(rows[i].ts).toBeGreaterThan(rows[i - 1].ts);
  });

  it('keeps adjclose as adjClose and reports the AAPL 4:1 split of 2020-08-31', async () => {
    const c = chartCases.find((x) => x.file === 'chart-AAPL-2020-08-31-to-2020-11-07.json')!;
    const { rows, notes } = await run(c).result;
    expect(rows).toHaveLength(49);
    expect(rows[0].ts).toBe(Date.UTC(2020, 7, 31));
    expect(rows.every((r) => r.adjClose !== null && r.adjClose < r.close)).toBe(true);
    expect(notes).toContain('Yahoo reports a 4:1 split on 2020-08-31; OHLC is split-adjusted, adjClose also for dividends');
  });

  it('a real "no data" reply (1m, a weekend) is a permanent SourceError', async () => {
    const c = chartCases.find((x) => x.file.startsWith('chart-AAPL-2025-02-01-to-2025-02-02'))!;
    const error = await run(c).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).transient).toBe(false);
    expect((error as Error).message).toBe('Yahoo returned no 1m bars for AAPL in 2025-02-01..2025-02-02');
  });

  it('the period1 == period2 reply saved as a 1h chart (no timestamp, quote [{}]) is a permanent SourceError', async () => {
    const c = chartCases.find((x) => x.file === 'chart-TSLA-2025-01-01-to-2025-01-02-interval-1h.fake.json')!;
    const error = await run(c).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).transient).toBe(false);
    expect((error as Error).message).toBe('Yahoo returned no 1h bars for TSLA in 2025-01-01..2025-01-02');
  });

  it.each(['chart-notimestamp-quotes-length.fake.json', 'chart-notimestamp-weird-quote.fake.json'])(
    '%s: a chart the library rejects becomes a permanent SourceError',
    async (file) => {
      const error = await run(chartCases.find((x) => x.file === file)!).result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).transient).toBe(false);
      expect((error as Error).message).toMatch(/^Yahoo answered AAPL 1d 2020-01-01\.\.2020-01-03 with a chart pulse cannot read: No timestamp with/);
    },
  );

  it("Yahoo's real HTTP 400 text reply is a permanent SourceError quoting it", async () => {
    const legacy = loadRecording(`${FIXTURES}/legacy-v7-download-2021/historical-BEKE-2020-01-01-to-2020-01-03.json`);
    const aapl = chartCases.find((x) => x.file === 'chart-AAPL-2020-01-01-to-2020-01-03.json')!;
    const replay = createReplayer([{ url: aapl.rec.request.url, keys: ['interval'], responses: [legacy.response] }]);
    const yahoo = createYahooSource({ fetch: replay.fetch, sleep: recordingSleep().sleep, now: () => aapl.now });
    const error = (await yahoo.fetch({ symbol: 'AAPL', interval: '1d', from: aapl.from, to: aapl.to }).catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(false);
    expect(error.message).toBe(
      "Yahoo answered AAPL 1d 2020-01-01..2020-01-03 with unreadable data (HTTP 400): 400 Bad Request: Data doesn't exist for startDate = 1577836800, endDate = 1578009600",
    );
    expect(replay.calls).toHaveLength(1);
  });
});
