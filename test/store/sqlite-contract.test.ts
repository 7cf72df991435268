/** The repository contract on the SQLite store, plus what only SQLite does: the columnar file cache of big series. */
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seriesCachePath } from '../../src/store/sqlite/bars.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
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
