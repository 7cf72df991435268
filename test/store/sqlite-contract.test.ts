/** The repository contract on the SQLite store, plus what only SQLite does: the columnar file cache of big series. */
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Interval } from '../../src/core/interval.js';
import { seriesCachePath } from '../../src/store/sqlite/bars.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { querySqlite } from '../helpers/sqlite.js';
import { columnsOf, describeStoreContract, hourlyBars } from './contract.js';

const tempHome = useTempHome();
describeStoreContract('sqlite', (home) => openStore(home), tempHome);

describe('sqlite bars: the columnar cache', () => {
  const T0 = Date.UTC(2024, 0, 1);
  const HOUR = 3_600_000;

  it('loads big ranges identically through SQLite and through the cache', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const list = hourlyBars(25_000);
    await store.bars.upsert('BIG', '1h', columnsOf(list), { source: 'test', now: 1 });
    const file = seriesCachePath(home, 'BIG', '1h');
    expect(existsSync(file)).toBe(false);
    const cold = await store.bars.load('BIG', '1h');
    expect(existsSync(file)).toBe(true);
    const warm = await store.bars.load('BIG', '1h');
    expect(warm.length).toBe(25_000);
    expect(Array.from(warm.close)).toEqual(Array.from(cold.close));
    expect(warm.volume[24_999]).toBe(list[24_999].volume);
    const part = await store.bars.load('BIG', '1h', { from: T0 + 10 * HOUR, to: T0 + 21_000 * HOUR });
    expect(part.length).toBe(20_990);
    expect(part.time[0]).toBe(T0 + 10 * HOUR);
    await store.close();
  });

  it('never serves a stale cache: a revision or a foreign file is ignored and rewritten', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await store.bars.upsert('BIG', '1h', columnsOf(hourlyBars(21_000)), { source: 'test', now: 1 });
    await store.bars.load('BIG', '1h');
    await store.bars.upsert('BIG', '1h', columnsOf(hourlyBars(21_000, T0, 1)), { source: 'test', now: 2 });
    expect((await store.bars.load('BIG', '1h')).close[0]).toBe(hourlyBars(1, T0, 1)[0].close);
    writeFileSync(seriesCachePath(home, 'BIG', '1h'), 'garbage');
    expect((await store.bars.load('BIG', '1h')).length).toBe(21_000);
    await store.close();
  });
});

describe('sqlite bars: batch values written as literals', () => {
  it('stores symbols, sources and origins with quotes, unicode and NUL exactly as bound values', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const cases = [
      { symbol: "O'BRIEN", source: 'csv "quoted"', origin: null },
      { symbol: 'ÆØÅ-日本-🚀', source: "it's", origin: '1m' },
      { symbol: 'NUL\0SYM', source: 'so\0urce', origin: 'a\0b' },
    ];
    for (const c of cases) {
      // 300 rows: two full chunks through the literal statement, the rest one row a statement.
      await store.bars.upsert(c.symbol, '1h', columnsOf(hourlyBars(300)), { source: c.source, originInterval: c.origin as Interval | null, now: 5 });
    }
    await store.transaction(async (tx) => {
      await tx.bars.upsert("O'BRIEN", '4h', columnsOf(hourlyBars(256)), { source: 'tx', now: 6 });
    });
    await store.close();
    for (const c of cases) {
      const rows = querySqlite<{ n: number; source: string; origin: string | null; at: number }>(
        home,
        'SELECT count(*) AS n, source, origin_interval AS origin, min(ingested_at) AS at FROM bars WHERE symbol = ? AND interval = ? GROUP BY source, origin_interval',
        c.symbol,
        '1h',
      );
      expect(rows).toEqual([{ n: 300, source: c.source, origin: c.origin, at: 5 }]);
    }
    expect(querySqlite(home, "SELECT count(*) AS n, typeof(ingested_at) AS t FROM bars WHERE interval = '4h'")).toEqual([{ n: 256, t: 'integer' }]);
  });
});
