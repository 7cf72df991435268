import { describe, expect, it } from 'vitest';
import { buildChartData, MAX_TRADE_MARKERS } from '../../src/backtest/report/chart-data.js';
import { escapeInlineScript, loadChartLibrary } from '../../src/backtest/report/chart-library.js';
import { formatFixed, formatStatValue, formatStatWithUnit, formatTime } from '../../src/backtest/report/format.js';
import { buildReportData, renderReportHtml, serializeForScript } from '../../src/backtest/report/report-html.js';
import { describeParams, escapeHtml } from '../../src/backtest/report/sections.js';
import { STAT_KEY_LIST, type EquityCurve, type Trade } from '../../src/backtest/types.js';
import { allocSeries } from '../../src/core/bars.js';
import { fixtureBacktest } from './report-fixture.js';

const GENERATED = Date.UTC(2024, 6, 1, 9, 30);

function synthetic(n: number) {
  const bars = allocSeries('TEST', '1d', n);
  const equity: EquityCurve = { time: new Float64Array(n), equity: new Float64Array(n), drawdownPct: new Float64Array(n), position: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    bars.time[i] = Date.UTC(2020, 0, 1) + i * 86_400_000;
    bars.open[i] = 100 + i;
    bars.high[i] = 102 + i + (i % 7);
    bars.low[i] = 98 + i - (i % 5);
    bars.close[i] = 101 + i;
    equity.time[i] = bars.time[i];
    equity.equity[i] = 10_000 + 10 * i;
    equity.drawdownPct[i] = (i * 37) % 23;
  }
  return { bars, equity };
}

function trade(entryIndex: number, exitIndex: number, returnPct: number): Trade {
  return {
    side: 'long',
    entryIndex,
    exitIndex,
    entryTime: 0,
    exitTime: 0,
    entryPrice: 1,
    exitPrice: 1,
    size: 1,
    pnl: returnPct,
    returnPct,
    barsHeld: exitIndex - entryIndex,
    fees: 0,
    exitReason: 'signal',
  };
}

describe('format', () => {
  it('formats fixed decimals with comma thousands and no negative zero', () => {
    expect(formatFixed(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatFixed(-0.004, 2)).toBe('0.00');
    expect(formatFixed(-1234.5, 1)).toBe('-1,234.5');
    expect(formatFixed(999.999, 2)).toBe('1,000.00');
    expect(formatFixed(1.2190553348118467e25, 2)).toBe('1.219e+25');
    expect(formatFixed(Number.NaN, 2)).toBe('NaN');
  });

  it('formats each unit', () => {
    expect(formatStatValue(12.3456, 'pct')).toBe('12.35');
    expect(formatStatWithUnit(12.3456, 'pct')).toBe('12.35 %');
    expect(formatStatValue(1.23456, 'ratio')).toBe('1.235');
    expect(formatStatValue(12345.678, 'cash')).toBe('12,345.68');
    expect(formatStatValue(16.625, 'days')).toBe('16.6');
    expect(formatStatWithUnit(16.625, 'days')).toBe('16.6 d');
    expect(formatStatValue(400, 'count')).toBe('400');
    expect(formatStatValue(Date.UTC(2024, 0, 2, 15, 4), 'ms')).toBe('2024-01-02');
    expect(formatStatValue(Date.UTC(2024, 0, 2, 15, 4), 'ms', true)).toBe('2024-01-02 15:04');
    expect(formatStatValue(null, 'ratio')).toBe('n/a');
    expect(formatTime(Number.NaN, false)).toBe('n/a');
  });
});

describe('buildChartData', () => {
  it('keeps every bar when the series is short enough', () => {
    const { bars, equity } = synthetic(50);
    const c = buildChartData(bars, equity, [trade(3, 9, 1.5)], 10_000, 100);
    expect(c.bucketSize).toBe(1);
    expect(c.time).toHaveLength(50);
    expect(c.time[0]).toBe(Date.UTC(2020, 0, 1) / 1000);
    expect(c.close[49]).toBe(150);
    expect(c.buyAndHold[49]).toBeCloseTo((10_000 * 150) / 101, 9);
    expect(c.drawdownPct[1]).toBe(-14);
    expect(c.drawdownPct[0]).toBe(0);
    expect(c.markers).toEqual([
      { time: c.time[3], kind: 'entry', side: 'long', returnPct: null },
      { time: c.time[9], kind: 'exit', side: 'long', returnPct: 1.5 },
    ]);
  });

  it('downsamples to exact OHLC buckets, last equity and deepest drawdown', () => {
    const { bars, equity } = synthetic(1000);
    const c = buildChartData(bars, equity, [trade(995, 999, -2)], 10_000, 300);
    expect(c.bucketSize).toBe(4);
    expect(c.time).toHaveLength(250);
    for (let p = 0; p < 250; p++) {
      const s = p * 4;
      const idx = [s, s + 1, s + 2, s + 3];
      expect(c.time[p]).toBe(bars.time[s] / 1000);
      expect(c.open[p]).toBe(bars.open[s]);
      expect(c.high[p]).toBe(Math.max(...idx.map((i) => bars.high[i])));
      expect(c.low[p]).toBe(Math.min(...idx.map((i) => bars.low[i])));
      expect(c.close[p]).toBe(bars.close[s + 3]);
      expect(c.equity[p]).toBe(equity.equity[s + 3]);
      const deepest = Math.max(...idx.map((i) => equity.drawdownPct[i]));
      expect(c.drawdownPct[p]).toBe(deepest === 0 ? 0 : -deepest);
    }
    // The maximum drawdown survives downsampling.
    expect(Math.min(...c.drawdownPct)).toBe(-Math.max(...equity.drawdownPct));
    expect(c.markers.map((m) => m.time)).toEqual([c.time[248], c.time[249]]);
  });

  it('handles a last bucket shorter than the others', () => {
    const { bars, equity } = synthetic(10);
    const c = buildChartData(bars, equity, [], 10_000, 4);
    expect(c.bucketSize).toBe(3);
    expect(c.time).toHaveLength(4);
    expect(c.close[3]).toBe(bars.close[9]);
    expect(c.open[3]).toBe(bars.open[9]);
  });

  it('caps the markers and counts the rest', () => {
    const { bars, equity } = synthetic(100);
    const many = Array.from({ length: MAX_TRADE_MARKERS / 2 + 3 }, (_, i) => trade(i % 99, (i % 99) + 1, 1));
    const c = buildChartData(bars, equity, many, 10_000);
    expect(c.markers).toHaveLength(MAX_TRADE_MARKERS);
    expect(c.markersOmitted).toBe(6);
    for (let i = 1; i < c.markers.length; i++) expect(c.markers[i].time).toBeGreaterThanOrEqual(c.markers[i - 1].time);
  });

  it('refuses bars and curves that do not line up', () => {
    const { bars, equity } = synthetic(10);
    expect(() => buildChartData(bars, { ...equity, equity: new Float64Array(9) }, [], 1)).toThrow(/equity 9, drawdown 10 points\) does not match the series' 10 bars/);
    const shifted = { ...equity, time: equity.time.map((t) => t + 1) };
    expect(() => buildChartData(bars, shifted, [], 1)).toThrow(/different times/);
    bars.time[5] = bars.time[4];
    equity.time[5] = equity.time[4];
    expect(() => buildChartData(bars, equity, [], 1)).toThrow(/not strictly increasing/);
  });
});

describe('page assembly', () => {
  const { bars, result } = fixtureBacktest();

  it('serialises the payload so no value can close the script element, and parses back exactly', () => {
    const value = { text: '</script><script>alert(1)</script> <!-- \u2028 \u2029', n: 0.1 + 0.2 };
    const text = serializeForScript(value);
    expect(text).not.toMatch(/<\/script|<!--|\u2028|\u2029/i);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('inlines the chart library with nothing that could end its script element', () => {
    const lib = loadChartLibrary();
    expect(lib.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(lib.source).toContain('LightweightCharts');
    expect(lib.source).not.toMatch(/<\/script/i);
    const escaped = escapeInlineScript('a = "</script>"; b = /<\\/SCRIPT/u; c = `</Script`; // <!-- only');
    expect(escaped).toBe('a = "<\\/script>"; b = /<\\/SCRIPT/u; c = `<\\/Script`; // <!-- only');
    // The escaped text still means the same JavaScript.
    const meaning = new Function(`${escaped.replace('// <!-- only', '')}; return [a, b.source, c];`)();
    expect(meaning).toEqual(['</script>', '<\\/SCRIPT', '</Script']);
    expect(() => escapeInlineScript('x = "<!--"; y = "<script>"')).toThrow(/cannot be inlined safely/);
  });

  it('escapes hostile text everywhere and is byte-identical for the same input', () => {
    const hostile = structuredClone(result);
    hostile.params.symbol = '<img src=x onerror=alert(1)>';
    hostile.warnings = ['a </script> & "b"'];
    const html = renderReportHtml({ result: hostile, bars, generatedAtMs: GENERATED });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(escapeHtml('<img src=x onerror=alert(1)>'));
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(renderReportHtml({ result, bars, generatedAtMs: GENERATED })).toBe(renderReportHtml({ result, bars, generatedAtMs: GENERATED }));
  });

  it('references nothing outside the file', () => {
    const html = renderReportHtml({ result, bars, generatedAtMs: GENERATED });
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc\s*=\s*["']?(?!data:)[a-z]+:/i);
    expect(html).not.toMatch(/url\(\s*["']?(?!data:)[a-z]+:/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('embeds the figures of the result and lists every statistic and parameter', () => {
    const html = renderReportHtml({ result, bars, generatedAtMs: GENERATED });
    const data = buildReportData({ result, bars, generatedAtMs: GENERATED });
    const json = /<script type="application\/json" id="pulse-report-data">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(data)));
    expect(data.result.stats).toEqual(result.stats);
    expect(data.result.tradeCount).toBe(result.trades.length);
    for (const key of STAT_KEY_LIST) expect(html).toContain(`data-key="${key}" data-value="${result.stats[key] === null ? 'null' : String(result.stats[key])}"`);
    for (const [label, value] of describeParams(result.params)) expect(html).toContain(`<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`);
  });
});
