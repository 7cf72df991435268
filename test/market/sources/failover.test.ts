import { describe, expect, it } from 'vitest';
import { InterruptedError, SourceError, UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import type { Interval } from '../../../src/core/interval.js';
import { createBinanceSource } from '../../../src/market/sources/binance.js';
import { createMemoryBreakerStore } from '../../../src/market/sources/breaker.js';
import { FailoverError, fetchWithFailover } from '../../../src/market/sources/failover.js';
import type { BarSource, FetchRequest, FetchResult } from '../../../src/market/sources/source.js';
import { createYahooSource } from '../../../src/market/sources/yahoo.js';
import { fixturePath } from '../../helpers/shared.js';
import { createReplayer, loadRecording, recordingSleep, routeOf } from './replayer.js';

const MIN = 60_000;
const request: FetchRequest = { symbol: 'BTC-USD', interval: '1h', from: 0, to: 3_600_000 };
const ok: FetchResult = { rows: [{ ts: 0, open: 1, high: 1, low: 1, close: 1, volume: 1, adjClose: null, raw: '[]' }] };

/** A scripted source: each call takes the next outcome (an Error to throw, or a result). */
function scripted(name: string, outcomes: Array<Error | FetchResult>, intervals: readonly Interval[] = ['1h', '1d']) {
  const calls: FetchRequest[] = [];
  const source: BarSource = {
    name,
    intervals,
    historyLimitMs: () => undefined,
    fetch: async (req) => {
      calls.push(req);
      const next = outcomes[Math.min(calls.length - 1, outcomes.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { source, calls };
}
const outage = () => new SourceError('Yahoo did not answer within 15000 ms', { transient: true });
const unknownSymbol = () => new SourceError('Yahoo has no data for symbol "BTC-USD"', { transient: false });

describe('fetchWithFailover', () => {
  it('uses the first source when it works and records the success', async () => {
    const a = scripted('yahoo', [ok]);
    const b = scripted('binance', [ok]);
    const store = createMemoryBreakerStore();
    const out = await fetchWithFailover([a.source, b.source], store, request, { now: () => 5 });
    expect(out.sourceUsed).toBe('yahoo');
    expect(out.attempts).toEqual([{ source: 'yahoo', outcome: 'ok', rows: 1, probe: false }]);
    expect(b.calls).toEqual([]);
    expect(await store.get('yahoo')).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: 5 });
  });

  it('fails over in order on an outage and on a permanent answer', async () => {
    for (const error of [outage(), unknownSymbol()]) {
      const a = scripted('yahoo', [error]);
      const b = scripted('binance', [ok]);
      const out = await fetchWithFailover([a.source, b.source], createMemoryBreakerStore(), request, { now: () => 0 });
      expect(out.sourceUsed).toBe('binance');
      expect(out.attempts.map((x) => x.outcome)).toEqual(['failed', 'ok']);
    }
  });

  it('opens the breaker after 3 outages in a row, skips the source for 15 min, then probes it', async () => {
    let now = 0;
    const a = scripted('yahoo', [outage(), outage(), outage(), ok]);
    const b = scripted('binance', [ok]);
    const store = createMemoryBreakerStore();
    for (let i = 0; i < 3; i++) await fetchWithFailover([a.source, b.source], store, request, { now: () => now });
    expect(await store.get('yahoo')).toMatchObject({ consecutiveFailures: 3, openUntil: 15 * MIN });
    now = 10 * MIN;
    const skipped = await fetchWithFailover([a.source, b.source], store, request, { now: () => now });
    expect(skipped.attempts[0]).toEqual({ source: 'yahoo', outcome: 'skipped-open', openUntil: 15 * MIN });
    expect(a.calls).toHaveLength(3);
    now = 15 * MIN;
    const probed = await fetchWithFailover([a.source, b.source], store, request, { now: () => now });
    expect(probed.sourceUsed).toBe('yahoo');
    expect(probed.attempts[0]).toMatchObject({ outcome: 'ok', probe: true });
    expect(await store.get('yahoo')).toMatchObject({ consecutiveFailures: 0, openUntil: undefined, lastSuccessAt: 15 * MIN });
  });

  it('permanent answers (bad symbols) never open the breaker', async () => {
    const a = scripted('yahoo', [unknownSymbol()]);
    const b = scripted('binance', [ok]);
    const store = createMemoryBreakerStore();
    for (let i = 0; i < 10; i++) await fetchWithFailover([a.source, b.source], store, request, { now: () => i });
    expect(a.calls).toHaveLength(10);
    expect(await store.get('yahoo')).toMatchObject({ consecutiveFailures: 0, lastError: 'Yahoo has no data for symbol "BTC-USD"' });
  });

  it('honours custom breaker options', async () => {
    const a = scripted('yahoo', [outage()]);
    const store = createMemoryBreakerStore();
    await fetchWithFailover([a.source, scripted('b', [ok]).source], store, request, { now: () => 0, breaker: { failureThreshold: 1, cooldownMs: 1000 } });
    expect((await store.get('yahoo'))?.openUntil).toBe(1000);
  });

  it('all sources failing: one FailoverError listing every attempt, transient if any may recover', async () => {
    const a = scripted('yahoo', [outage()]);
    const b = scripted('binance', [unknownSymbol()]);
    const error = (await fetchWithFailover([a.source, b.source], createMemoryBreakerStore(), request).catch((e: unknown) => e)) as FailoverError;
    expect(error).toBeInstanceOf(FailoverError);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(true);
    expect(error.attempts).toHaveLength(2);
    expect(error.message).toBe(
      'no source delivered BTC-USD 1h: yahoo: Yahoo did not answer within 15000 ms; binance: Yahoo has no data for symbol "BTC-USD"',
    );
    const permanent = (await fetchWithFailover([scripted('x', [unknownSymbol()]).source], createMemoryBreakerStore(), request).catch((e: unknown) => e)) as FailoverError;
    expect(permanent.transient).toBe(false);
  });

  it('every source cooling down: a transient FailoverError without calling any', async () => {
    const a = scripted('yahoo', [ok]);
    const store = createMemoryBreakerStore({ yahoo: { consecutiveFailures: 3, openUntil: Date.UTC(2030, 0, 1) } });
    const error = (await fetchWithFailover([a.source], store, request, { now: () => 0 }).catch((e: unknown) => e)) as FailoverError;
    expect(error.transient).toBe(true);
    expect(error.message).toBe('no source delivered BTC-USD 1h: yahoo: skipped, failing repeatedly (cooling down until 2030-01-01T00:00:00.000Z)');
    expect(a.calls).toEqual([]);
  });

  it('skips sources without the interval and throws a UsageError when none has it', async () => {
    const yahooLike = scripted('yahoo', [ok], ['1h', '1d']);
    const binanceLike = scripted('binance', [ok], ['1h', '4h']);
    const out = await fetchWithFailover([yahooLike.source, binanceLike.source], createMemoryBreakerStore(), { ...request, interval: '4h' });
    expect(out.sourceUsed).toBe('binance');
    expect(out.attempts[0]).toEqual({ source: 'yahoo', outcome: 'skipped-interval' });
    const error = await fetchWithFailover([yahooLike.source], createMemoryBreakerStore(), { ...request, interval: '4h' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toBe('collect 1h bars and resample them to 4h');
  });

  it('a UsageError from a source moves on without touching its breaker; if all refuse, the UsageError surfaces', async () => {
    const refusal = new UsageError('Yahoo serves 1m bars only for the last 30 days');
    const a = scripted('yahoo', [refusal]);
    const store = createMemoryBreakerStore();
    const out = await fetchWithFailover([a.source, scripted('binance', [ok]).source], store, request);
    expect(out.sourceUsed).toBe('binance');
    expect(await store.get('yahoo')).toBeUndefined();
    await expect(fetchWithFailover([a.source], store, request)).rejects.toBe(refusal);
  });

  it('interrupts and bugs propagate at once, without failover', async () => {
    for (const error of [new InterruptedError(), new TypeError('undefined is not a function')]) {
      const b = scripted('binance', [ok]);
      await expect(fetchWithFailover([scripted('yahoo', [error]).source, b.source], createMemoryBreakerStore(), request)).rejects.toBe(error);
      expect(b.calls).toEqual([]);
    }
  });

  it('no sources: UsageError', async () => {
    await expect(fetchWithFailover([], createMemoryBreakerStore(), request)).rejects.toBeInstanceOf(UsageError);
  });

  it('end to end on recorded replies: Yahoo 404 then Binance klines', async () => {
    const notFound = loadRecording(fixturePath('yahoo', 'chart-NOSUCHSYM-404.json'));
    const replay = createReplayer([
      // Yahoo's recorded "Not Found" answer, served for the symbol asked here.
      { url: notFound.request.url.replace('/NOSUCHSYM?', '/BTC-USD?'), keys: [], responses: [notFound.response] },
      routeOf(loadRecording(fixturePath('binance', 'klines-BTCUSDT-1h-all.json')), ['symbol', 'interval', 'startTime', 'endTime']),
    ]);
    const deps = { fetch: replay.fetch, sleep: recordingSleep().sleep, rng: new Rng(1), now: () => Date.UTC(2024, 5, 1) };
    const store = createMemoryBreakerStore();
    const T0 = Date.UTC(2024, 2, 4);
    const out = await fetchWithFailover([createYahooSource(deps), createBinanceSource(deps)], store, {
      symbol: 'BTC-USD',
      interval: '1h',
      from: T0,
      to: T0 + 5 * 3_600_000,
    });
    expect(out.sourceUsed).toBe('binance');
    expect(out.result.rows).toHaveLength(5);
    expect(out.attempts[0]).toMatchObject({ source: 'yahoo', outcome: 'failed', transient: false });
    expect(await store.get('yahoo')).toMatchObject({ consecutiveFailures: 0 });
    expect(replay.calls.map((u) => new URL(u).hostname)).toEqual(['query2.finance.yahoo.com', 'data-api.binance.vision']);
  });
});
