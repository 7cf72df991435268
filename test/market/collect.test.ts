/**
 * The collect orchestration on a real SQLite store with the real source code paths (yahoo-finance2, Binance)
 * fed recorded HTTP responses: failover, the circuit breaker kept in the store, partial failures, incremental
 * overlap and idempotence.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { collect, type CollectRequest } from '../../src/market/collect.js';
import type { HttpFetch } from '../../src/market/sources/source.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { querySqlite } from '../helpers/sqlite.js';
import { fixturePath } from '../helpers/shared.js';
import { createReplayer, loadRecording, type Route } from './sources/replayer.js';

const NOW = Date.UTC(2024, 5, 1);
const yahoo = (name: string) => loadRecording(fixturePath('yahoo', name));
const binance = (name: string) => loadRecording(fixturePath('binance', name));
const route = (rec: ReturnType<typeof loadRecording>, keys: string[], responses = [rec.response]): Route => ({ url: rec.request.url, keys, responses });

/** A collect with the default settings, except one retry and (unless given) no quarantine limit. */
function run(store: Store, request: Partial<CollectRequest>, fetch: HttpFetch, now = NOW, maxQuarantinePct = 100) {
  return collect(
    { symbols: [], sources: ['yahoo'], interval: '1d', resample: [], acceptOutliers: false, seed: 1, ...request },
    { store, settings: { ...defaultConfig().collect, retries: 1, maxQuarantinePct }, now: () => now, log: silentLogger, fetch, sleep: async () => {} },
  );
}

describe('collect with recorded Yahoo and Binance responses', () => {
  const tempHome = useTempHome();
  const msft = yahoo('chart-MSFT-1d-2024-03-04-to-2024-03-09.json');

  it('stores a Yahoo daily series keyed by exchange date, then changes nothing on a second run', async () => {
    const store = await openStore(tempHome());
    const { fetch, calls } = createReplayer([route(msft, ['interval'])]);
    const req = { symbols: ['MSFT'], from: Date.UTC(2024, 2, 4), to: Date.UTC(2024, 2, 9) };
    const first = await run(store, req, fetch);
    expect(first.status).toBe('ok');
    const s = first.symbols[0];
    // The recording has one bar with a null volume (as Yahoo sends for some days): quarantined, not stored.
    expect(s.quarantineReasons).toEqual({ non_finite: 1 });
    expect(s).toMatchObject({ source: 'yahoo', inserted: 4, quarantined: 1, first: Date.UTC(2024, 2, 4), last: Date.UTC(2024, 2, 8) });
    expect(calls.filter((u) => u.includes('/v8/finance/chart/MSFT'))).toHaveLength(1);
    const second = await run(store, req, fetch);
    expect(second.totals).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, quarantined: 1 });
    expect(await store.quarantine.list({ limit: 10 })).toHaveLength(1); // the same rejected row is kept once
    const [instrument] = querySqlite<{ currency: string }>(store.home, 'SELECT currency, exchange FROM instruments WHERE symbol = ?', 'MSFT');
    expect(instrument.currency).toBe('USD');
    // the calendar comes from Yahoo's exchange code (NMS: Nasdaq) and is stored with the instrument
    expect(s.calendar).toBe('XNAS');
    expect(await store.instruments.calendar('MSFT')).toBe('XNAS');
    await store.close();
  });

  it('fails a symbol whose quarantined share is over collect.maxQuarantinePct once, not again for the same rows', async () => {
    const store = await openStore(tempHome());
    const { fetch } = createReplayer([route(msft, ['interval'])]);
    const req = { symbols: ['MSFT'], from: Date.UTC(2024, 2, 4), to: Date.UTC(2024, 2, 9) };
    const first = await run(store, req, fetch, NOW, 5);
    expect(first.status).toBe('partial');
    expect(first.symbols[0]).toMatchObject({ status: 'suspect', inserted: 4, quarantined: 1, quarantinedNew: 1 });
    expect(first.symbols[0].error).toMatch(/1 of 5 rows quarantined \(non_finite x1\): 20\.0% is over collect\.maxQuarantinePct \(5%\)/);
    expect((await store.runs.list(1))[0].status).toBe('partial');
    // The next incremental run fetches the same bad row again: it is known, so the run is ok.
    const second = await run(store, req, fetch, NOW, 5);
    expect(second.status).toBe('ok');
    expect(second.symbols[0]).toMatchObject({ status: 'ok', quarantined: 1, quarantinedNew: 0 });
    await store.close();
  });

  it('records a source change made with allowSourceChange, and refuses it without', async () => {
    const store = await openStore(tempHome());
    const csv = 'timestamp,open,high,low,close,volume\n2024-02-28,400,410,395,405,100\n2024-02-29,405,412,401,410,120\n2024-03-01,410,415,405,412,90\n';
    expect((await run(store, { symbols: ['MSFT'], sources: ['csv'], csv }, (() => Promise.reject(new Error('offline'))) as HttpFetch)).status).toBe('ok');
    const { fetch } = createReplayer([route(msft, ['interval'])]);
    const req = { symbols: ['MSFT'], from: Date.UTC(2024, 2, 4), to: Date.UTC(2024, 2, 9) };
    await expect(run(store, req, fetch)).rejects.toThrow(/MSFT 1d is collected from csv; --source yahoo would add yahoo/);
    const changed = await run(store, { ...req, allowSourceChange: true }, fetch);
    expect(changed.symbols[0]).toMatchObject({ status: 'ok', source: 'yahoo', sourceChangedFrom: 'csv', inserted: 4 });
    expect(await store.series.sourceChanges('MSFT')).toEqual([{ symbol: 'MSFT', interval: '1d', previous: 'csv', next: 'yahoo', runId: changed.runId, changedAt: NOW }]);
    expect(await store.series.source('MSFT', '1d')).toEqual({ source: 'yahoo', synthetic: false });
    // Each bar keeps the source that delivered it.
    const bySource = querySqlite(store.home, "SELECT source, count(*) AS n FROM bars WHERE symbol = 'MSFT' GROUP BY source ORDER BY source");
    expect(bySource).toEqual([{ source: 'csv', n: 3 }, { source: 'yahoo', n: 4 }]);
    await store.close();
  });

  it('keeps going when one symbol fails: partial status, the failure named, the other stored', async () => {
    const store = await openStore(tempHome());
    const routes = createReplayer([route(yahoo('chart-NOSUCHSYM-404.json'), ['interval']), route(msft, ['interval'])]);
    const result = await run(store, { symbols: ['NOSUCHSYM', 'MSFT'], from: Date.UTC(2024, 2, 4), to: Date.UTC(2024, 2, 9) }, routes.fetch);
    expect(result.status).toBe('partial');
    expect(result.symbols.find((x) => x.symbol === 'MSFT')?.inserted).toBe(4);
    const bad = result.symbols.find((x) => x.symbol === 'NOSUCHSYM');
    expect(bad?.status).toBe('failed');
    expect(bad?.error).toMatch(/NOSUCHSYM/);
    expect((await store.runs.list(1))[0].status).toBe('partial');
    // A permanent answer does not count against the source.
    expect((await store.sources.list()).find((h) => h.source === 'yahoo')?.consecutiveFailures).toBe(0);
    await store.close();
  });

  it('fails over from a failing Yahoo to Binance and opens Yahoo\'s breaker after repeated failures', async () => {
    const store = await openStore(tempHome());
    const down = yahoo('chart-MSFT-503.json');
    const btc = binance('klines-BTCUSDT-1h-all.json');
    const { fetch } = createReplayer([
      { url: down.request.url.replace('/MSFT', '/BTC-USD'), keys: [], responses: [down.response] },
      route(btc, ['symbol', 'interval']),
    ]);
    const from = 1709510400000;
    const req = { symbols: ['BTC-USD'], sources: ['yahoo', 'binance'], interval: '1h' as const, from, to: from + 5 * 3_600_000 };
    const now = from + 48 * 3_600_000;
    for (let i = 0; i < 3; i++) {
      const r = await run(store, req, fetch, now + i);
      expect(r.status, r.symbols[0].error ?? '').toBe('ok');
      expect(r.symbols[0].source).toBe('binance');
      expect(r.symbols[0].notes.join(' ')).toMatch(/yahoo failed/);
    }
    const health = (await store.sources.list()).find((h) => h.source === 'yahoo');
    expect(health?.consecutiveFailures).toBe(3);
    expect(health?.openUntil).toBeGreaterThan(now);
    const skipped = await run(store, req, fetch, now + 10);
    expect(skipped.symbols[0].notes.join(' ')).toMatch(/circuit breaker open/);
    expect(skipped.symbols[0].source).toBe('binance');
    await store.close();
  });

  it('quarantines Yahoo rows that fail validation with their raw JSON', async () => {
    const store = await openStore(tempHome());
    const broken = structuredClone(msft);
    const quote = (broken.response.bodyJson as any).chart.result[0].indicators.quote[0];
    quote.high[1] = quote.low[1] / 2;
    const { fetch } = createReplayer([route(broken, ['interval'])]);
    const r = await run(store, { symbols: ['MSFT'], from: Date.UTC(2024, 2, 4), to: Date.UTC(2024, 2, 9) }, fetch);
    expect(r.symbols[0]).toMatchObject({ inserted: 3, quarantined: 2, quarantineReasons: { high_low_inconsistent: 1, non_finite: 1 } });
    const q = await store.quarantine.list({ limit: 5 });
    expect(q[0].source).toBe('yahoo');
    expect(q[0].raw.length).toBeGreaterThan(10);
    await store.close();
  });

  it('resamples into coarser intervals, leaving out a first bucket the data starts inside', async () => {
    const store = await openStore(tempHome());
    const r = await run(
      store,
      { symbols: ['BTC-USD'], sources: ['synthetic'], interval: '1h', from: Date.UTC(2024, 0, 1, 7), to: Date.UTC(2024, 0, 2), resample: ['4h'] },
      (() => Promise.reject(new Error('no network'))) as HttpFetch,
    );
    const rs = r.symbols[0].resampled[0];
    expect(rs).toMatchObject({ interval: '4h', buckets: 4, leadingPartialDropped: true, incompleteDropped: false });
    const ts = querySqlite<{ ts: number }>(store.home, "SELECT ts FROM bars WHERE symbol = 'BTC-USD' AND interval = '4h' ORDER BY ts").map((r) => r.ts);
    expect(ts).toEqual([8, 12, 16, 20].map((h) => Date.UTC(2024, 0, 1, h)));
    await store.close();
  });
});

describe('collect: the calendar of an instrument', () => {
  const tempHome = useTempHome();
  const synthetic = (store: Store, request: Partial<CollectRequest>) =>
    run(store, { symbols: ['ACME'], sources: ['synthetic'], from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 1, 1), ...request }, createReplayer([]).fetch);

  it('is --calendar, else the stored one, else the source\'s; an explicit one replaces the stored one', async () => {
    const store = await openStore(tempHome());
    // nothing named: the synthetic source generates on crypto and says so
    const first = await synthetic(store, {});
    expect([first.symbols[0].calendar, first.symbols[0].fetched, await store.instruments.calendar('ACME')]).toEqual(['crypto', 31, 'crypto']);
    // an explicit calendar replaces it, and the synthetic source generates on it (21 XNYS sessions in January 2024)
    const second = await synthetic(store, { calendar: 'XNYS' });
    expect([second.symbols[0].calendar, second.symbols[0].fetched, await store.instruments.calendar('ACME')]).toEqual(['XNYS', 21, 'XNYS']);
    // later runs without --calendar keep the stored one (February 2024: 20 sessions, Presidents' Day closed)
    const third = await synthetic(store, { symbols: ['ACME'], from: Date.UTC(2024, 1, 1), to: Date.UTC(2024, 2, 1) });
    expect([third.symbols[0].calendar, third.symbols[0].fetched]).toEqual(['XNYS', 20]);
    // a CSV import with no calendar anywhere is judged on none and stores nothing
    const csv = await run(store, { symbols: ['CSVONLY'], sources: ['csv'], csv: Readable.from(['timestamp,open,high,low,close,volume\n2024-01-01,1,1,1,1,1\n2024-01-05,1,1,1,1,1\n']) }, createReplayer([]).fetch);
    expect([csv.symbols[0].calendar, csv.symbols[0].gaps, await store.instruments.calendar('CSVONLY')]).toEqual(['none', [], null]);
    await store.close();
  });
});
