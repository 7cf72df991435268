/**
 * CSV imports through collect(): the same bars written with epoch-second and with ISO-8601 timestamps store the
 * same rows (values, order, quarantine), re-imports are idempotent across the two forms, and a batch whose
 * INSERT fails halfway leaves nothing behind.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { collect } from '../../src/market/collect.js';
import { generateSeries } from '../../src/market/sources/synthetic.js';
import { loadCalendar } from '../../src/market/calendars/registry.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { querySqlite } from '../helpers/sqlite.js';

const NOW = Date.UTC(2024, 5, 1);

function run(store: Store, csv: string) {
  return collect(
    { symbols: ['BENCH-USD'], sources: ['csv'], interval: '1m', csv, resample: [], acceptOutliers: true, seed: 1 },
    { store, settings: defaultConfig().collect, now: () => NOW, log: silentLogger },
  );
}

/** 1000 + 77 one-minute bars on a cent tick, some with an adjusted close, plus rows validation must refuse. */
function csvPair(): { iso: string; epoch: string } {
  const s = generateSeries({ symbol: 'BENCH-USD', interval: '1m', bars: 1077, seed: 4, start: Date.UTC(2024, 0, 1), calendar: loadCalendar('crypto') });
  const tick = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
  const rows: [number, string][] = [];
  for (let i = 0; i < s.length; i++) {
    const o = tick(s.open[i]);
    const c = tick(s.close[i]);
    const h = tick(Math.max(s.high[i], Number(o), Number(c)));
    const l = tick(Math.min(s.low[i], Number(o), Number(c)));
    rows.push([s.time[i], `${o},${h},${l},${c},${Math.round(s.volume[i])},${i % 5 === 0 ? '' : c}`]);
  }
  rows[10][1] = rows[10][1].replace(/^[^,]+/, '-1'); // non-positive open
  rows[20][0] += 30_000; // off the minute grid
  rows.push(rows[30]); // a duplicate, out of order
  [rows[40], rows[41]] = [rows[41], rows[40]]; // out of order
  const header = 'timestamp,open,high,low,close,volume,adj close\n';
  return {
    iso: header + rows.map(([t, rest]) => `${new Date(t).toISOString()},${rest}\n`).join(''),
    epoch: header + rows.map(([t, rest]) => `${t / 1000},${rest}\n`).join(''),
  };
}

/** Every stored bar of the series with every column but the ingestion time, in key order. */
function storedBars(store: Store): unknown[][] {
  return querySqlite(store.home, "SELECT ts, open, high, low, close, volume, adj_close, source, origin_interval, updated_at FROM bars WHERE symbol = 'BENCH-USD' AND interval = '1m' ORDER BY ts").map(Object.values);
}

function quarantined(store: Store): unknown[][] {
  return querySqlite(store.home, 'SELECT ts, reason, detail FROM quarantine ORDER BY ts, reason').map(Object.values);
}

describe('CSV import', () => {
  const tempHome = useTempHome();

  it('stores the same bars from epoch-second and ISO timestamps', async () => {
    const { iso, epoch } = csvPair();
    const a = await openStore(tempHome());
    const b = await openStore(tempHome());
    try {
      const ra = await run(a, iso);
      const rb = await run(b, epoch);
      expect(ra.status).toBe('ok');
      expect(rb.totals).toEqual(ra.totals);
      expect(ra.totals).toMatchObject({ fetched: 1078, inserted: 1075, quarantined: 3 });
      expect(ra.symbols[0].wasUnsorted).toBe(true);
      const bars = storedBars(a);
      expect(bars).toHaveLength(1075);
      expect(storedBars(b)).toEqual(bars);
      expect(bars.filter((r) => r[6] === null)).toHaveLength(214); // every fifth row has no adjusted close (216, less rows 10 and 20)
      expect(quarantined(b)).toEqual(quarantined(a));
      expect(quarantined(a).map((q) => q[1])).toEqual(['non_positive_price', 'misaligned_timestamp', 'duplicate_timestamp']);
      // the same bars again, in the other form: nothing changes
      const again = await run(a, epoch);
      expect(again.totals).toMatchObject({ inserted: 0, updated: 0, unchanged: 1075 });
      expect(storedBars(a)).toEqual(bars);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('rolls the whole batch back when an insert fails partway through a multi-row statement', async () => {
    const store = await openStore(tempHome());
    try {
      const s = generateSeries({ symbol: 'X', interval: '1m', bars: 300, seed: 2, start: Date.UTC(2024, 0, 1), calendar: loadCalendar('crypto') });
      const bars = { ...s, adjClose: null };
      bars.time = s.time.slice();
      bars.time[200] = bars.time[199]; // breaks the unique-times precondition inside the second 128-row statement
      await expect(store.transaction((tx) => tx.bars.upsert('X', '1m', bars, { source: 'test', now: NOW }))).rejects.toThrow(/UNIQUE constraint failed/);
      expect(querySqlite(store.home, 'SELECT count(*) AS n FROM bars')).toEqual([{ n: 0 }]);
      expect(querySqlite(store.home, 'SELECT count(*) AS n FROM series_versions')).toEqual([{ n: 0 }]);
      // and the statement is usable again afterwards
      const ok = await store.transaction((tx) => tx.bars.upsert('X', '1m', { ...s, adjClose: null }, { source: 'test', now: NOW }));
      expect(ok).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
    } finally {
      await store.close();
    }
  });
});
