import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/bars.js';
import { barsBefore, lastBarTime, listSeries, loadSeries, seriesCachePath, seriesVersion, tailBars, upsertBars } from '../../src/store/bars-repo.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function bars(n: number, start = T0, step = HOUR, shift = 0): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    const c = 100 + Math.sin(i / 10) * 5 + shift;
    return { ts: start + i * step, open: c - 0.5, high: c + 1, low: c - 1, close: c, volume: 1000 + i, adjClose: null };
  });
}

function upsert(store: Store, symbol: string, list: Bar[], now = 1) {
  return store.db.transaction(() => upsertBars(store, symbol, '1h', list, { source: 'test', now }))();
}

describe('bars repository', () => {
  const tempHome = useTempHome();

  it('counts inserted, updated and unchanged rows and bumps the version only on change', () => {
    const store = openStore(tempHome());
    expect(upsert(store, 'X', bars(300))).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
    expect(seriesVersion(store, 'X', '1h')).toBe(1);
    expect(upsert(store, 'X', bars(300))).toEqual({ inserted: 0, updated: 0, unchanged: 300 });
    expect(seriesVersion(store, 'X', '1h')).toBe(1);
    const revised = bars(310);
    revised[5] = { ...revised[5], close: revised[5].close + 0.01 };
    revised[7] = { ...revised[7], adjClose: 99 };
    expect(upsert(store, 'X', revised)).toEqual({ inserted: 10, updated: 2, unchanged: 298 });
    expect(seriesVersion(store, 'X', '1h')).toBe(2);
    expect(lastBarTime(store, 'X', '1h')).toBe(T0 + 309 * HOUR);
    expect(tailBars(store, 'X', '1h', 2).map((b) => b.ts)).toEqual([T0 + 308 * HOUR, T0 + 309 * HOUR]);
    expect(barsBefore(store, 'X', '1h', T0 + 3 * HOUR, 10).map((b) => b.ts)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(listSeries(store)).toMatchObject([{ symbol: 'X', interval: '1h', rows: 310, first: T0, last: T0 + 309 * HOUR, version: 2 }]);
    store.close();
  });

  it('loads ranges into typed arrays, identically through SQLite and through the columnar cache', () => {
    const home = tempHome();
    const store = openStore(home);
    const list = bars(25_000);
    upsert(store, 'BIG', list);
    const file = seriesCachePath(store, 'BIG', '1h');
    expect(existsSync(file)).toBe(false);
    const cold = loadSeries(store, 'BIG', '1h');
    expect(existsSync(file)).toBe(true);
    const warm = loadSeries(store, 'BIG', '1h');
    expect(warm.length).toBe(25_000);
    expect(Array.from(warm.close)).toEqual(Array.from(cold.close));
    expect(Array.from(warm.time.subarray(0, 3))).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(warm.volume[24_999]).toBe(list[24_999].volume);
    const part = loadSeries(store, 'BIG', '1h', { from: T0 + 10 * HOUR, to: T0 + 21_000 * HOUR });
    expect(part.length).toBe(20_990);
    expect(part.time[0]).toBe(T0 + 10 * HOUR);
    const small = loadSeries(store, 'BIG', '1h', { from: T0 + 10 * HOUR, to: T0 + 13 * HOUR });
    expect(Array.from(small.time)).toEqual([T0 + 10 * HOUR, T0 + 11 * HOUR, T0 + 12 * HOUR]);
    expect(small.close[0]).toBe(list[10].close);
    store.close();
  });

  it('never serves a stale cache: a revision or a foreign file is ignored and rewritten', () => {
    const store = openStore(tempHome());
    upsert(store, 'BIG', bars(21_000));
    loadSeries(store, 'BIG', '1h');
    upsert(store, 'BIG', bars(21_000, T0, HOUR, 1), 2);
    expect(loadSeries(store, 'BIG', '1h').close[0]).toBe(bars(1, T0, HOUR, 1)[0].close);
    writeFileSync(seriesCachePath(store, 'BIG', '1h'), 'garbage');
    expect(loadSeries(store, 'BIG', '1h').length).toBe(21_000);
    store.close();
  });
});
