import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBacktest } from '../../src/backtest/assert.js';
import { runBacktest } from '../../src/backtest/backtest.js';
import { loadCalendar } from '../../src/market/calendars/registry.js';
import { formatStatValue } from '../../src/backtest/report/format.js';
import { buildReportData, writeReportHtml, type ReportInput } from '../../src/backtest/report/report-html.js';
import { STAT_KEYS, STAT_KEY_LIST } from '../../src/backtest/types.js';
import { HAS_CHROMIUM, launchChromium, openReport } from '../helpers/browser.js';
import { HAS_SHARED, sharedPath } from '../helpers/shared.js';
import { readCsvSeries } from '../features/helpers.js';
import { fixtureBacktest } from './report-fixture.js';

// The page-side callbacks given to page.evaluate run in the browser, where these are globals; declared here (module
// scope, so nothing leaks into the rest of the program) because the project compiles without the DOM library.
declare const document: any;
declare const getComputedStyle: (el: unknown) => { backgroundColor: string };

const GENERATED = Date.UTC(2024, 6, 1, 9, 30);
/** Screenshots are kept here for a human look (`PULSE_REPORT_SHOTS=dir`); otherwise they go to the temp dir. */
const dir = mkdtempSync(join(tmpdir(), 'pulse-report-'));
const shotDir = process.env.PULSE_REPORT_SHOTS ?? dir;

interface CanvasStats {
  canvases: number;
  /** Pixels that differ from the canvas's first pixel, over all canvases of the chart. */
  inked: number;
  /** Distinct colours seen (capped), over all canvases of the chart. */
  colours: number;
}

async function canvasStats(page: Page, chartId: string): Promise<CanvasStats> {
  return page.evaluate((id) => {
    const canvases = Array.from<any>(document.querySelectorAll(`#${id} canvas`));
    let inked = 0;
    const colours = new Set<number>();
    for (const canvas of canvases) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const ctx = canvas.getContext('2d');
      if (ctx === null) continue;
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const first = (px[0] << 24) | (px[1] << 16) | (px[2] << 8) | px[3];
      for (let i = 0; i < px.length; i += 4) {
        const c = (px[i] << 24) | (px[i + 1] << 16) | (px[i + 2] << 8) | px[i + 3];
        if (c !== first) inked++;
        if (colours.size < 1000) colours.add(c);
      }
    }
    return { canvases: canvases.length, inked, colours: colours.size };
  }, chartId);
}

/** One browser for the whole file (launched only where Chromium exists; every browser suite skips otherwise). */
let browser: Browser;
beforeAll(async () => {
  if (HAS_CHROMIUM) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAS_CHROMIUM)('the HTML report in headless Chromium', () => {
  const { bars, result } = fixtureBacktest();
  const assertion = checkBacktest('sharpe >= 1 and maxDrawdownPct < 1 and trades >= 10', result);
  const input: ReportInput = { result, bars, generatedAtMs: GENERATED, assertion };
  const file = join(dir, 'report.html');

  beforeAll(() => writeReportHtml(file, input));

  it('draws all three charts offline, without console errors or outside requests', async () => {
    const { page, activity } = await openReport(browser, file);
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('ready');
    for (const id of ['chart-price', 'chart-equity', 'chart-drawdown']) {
      const s = await canvasStats(page, id);
      expect(s.canvases, id).toBeGreaterThan(0);
      // A drawn chart has many inked pixels in many colours (grid, axis labels, series); a blank one has none.
      expect(s.inked, id).toBeGreaterThan(5000);
      expect(s.colours, id).toBeGreaterThan(20);
    }
    expect(activity.consoleErrors).toEqual([]);
    expect(activity.pageErrors).toEqual([]);
    expect(activity.blocked).toEqual([]);
    // The three plots share one width, so the linked time axes put each bar at the same x in every chart.
    const widths = await page.evaluate(() =>
      ['chart-price', 'chart-equity', 'chart-drawdown'].map((id) => {
        const cells = document.querySelectorAll(`#${id} table tr:first-child td`);
        return Array.from<any>(cells).map((td) => Math.round(td.getBoundingClientRect().width));
      }),
    );
    expect(widths[0].length).toBeGreaterThanOrEqual(2);
    expect(widths[1]).toEqual(widths[0]);
    expect(widths[2]).toEqual(widths[0]);
    // Hovering the price chart moves the crosshair of the others without errors.
    const box = (await page.locator('#chart-price').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await page.screenshot({ path: join(shotDir, 'report-light.png'), fullPage: true });
    await page.close();
  });

  it('would notice an outside request: the page policy refuses it and the request watch catches it', async () => {
    // These guard the offline checks above: a leak must show up as a console error and as a blocked request.
    const html = readFileSync(file, 'utf8').replace('<main>', '<main><img src="https://cdn.example.invalid/x.png" alt="">');
    const leaky = join(dir, 'leaky.html');
    writeFileSync(leaky, html);
    const withPolicy = await openReport(browser, leaky);
    expect(withPolicy.activity.consoleErrors.join('\n')).toMatch(/Content Security Policy/);
    await withPolicy.page.close();
    const noPolicy = join(dir, 'leaky-no-policy.html');
    writeFileSync(noPolicy, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    const without = await openReport(browser, noPolicy);
    expect(without.activity.blocked).toEqual(['https://cdn.example.invalid/x.png']);
    await without.page.close();
  });

  it('shows figures that match the embedded JSON and the result', async () => {
    const { page } = await openReport(browser, file);
    const embedded = await page.evaluate(() => JSON.parse(document.getElementById('pulse-report-data')!.textContent!));
    expect(embedded).toEqual(JSON.parse(JSON.stringify(buildReportData(input))));
    expect(embedded.result.stats).toEqual(result.stats);

    const cells = await page.evaluate(() =>
      Array.from<any>(document.querySelectorAll('#stats-table td[data-key]')).map((td) => ({
        key: td.dataset.key!,
        value: td.dataset.value!,
        text: td.firstChild!.textContent!,
      })),
    );
    expect(cells.map((c) => c.key)).toEqual([...STAT_KEY_LIST]);
    for (const c of cells) {
      const v = embedded.result.stats[c.key] as number | null;
      expect(c.value === 'null' ? null : Number(c.value), c.key).toBe(v);
      expect(c.text, c.key).toBe(formatStatValue(v, STAT_KEYS[c.key as keyof typeof STAT_KEYS].unit, true));
    }

    const cards = await page.evaluate(() =>
      Array.from<any>(document.querySelectorAll('#key-figures .card')).map((c) => ({ key: c.dataset.key!, value: c.dataset.value! })),
    );
    expect(cards.length).toBeGreaterThanOrEqual(6);
    for (const c of cards) expect(Number(c.value), c.key).toBe(embedded.result.stats[c.key]);

    const baselines = await page.evaluate(() =>
      Array.from<any>(document.querySelectorAll('#baselines-table tr[data-baseline]')).map((tr) => ({
        id: tr.dataset.baseline!,
        values: Object.fromEntries(Array.from<any>(tr.querySelectorAll('td[data-key]')).map((td) => [td.dataset.key!, td.dataset.value!])),
      })),
    );
    expect(baselines.map((b) => b.id)).toEqual(['strategy', 'buyAndHold', 'naive']);
    expect(Number(baselines[1].values.returnPct)).toBe(result.baselines.buyAndHold.returnPct);
    expect(Number(baselines[2].values.sharpe)).toBe(result.baselines.naive!.sharpe);
    expect(result.baselines.random).not.toBeNull();
    const pValue = await page.evaluate(() => document.querySelector('#random-baseline td[data-key="pValue"]')!.dataset.value);
    expect(Number(pValue)).toBe(result.baselines.random!.pValue);

    const gate = await page.evaluate(() => Array.from<any>(document.querySelectorAll('#gate .gate')).map((g) => g.dataset.passed));
    expect(gate).toEqual(assertion.clauses.map((c) => String(c.passed)));
    const header = await page.evaluate(() => document.querySelector('h1')!.textContent);
    expect(header).toBe('SYN-USD1h');
    const warnings = await page.evaluate(() => Array.from<any>(document.querySelectorAll('#warnings li')).map((li) => li.textContent));
    expect(warnings).toEqual(result.warnings);

    // The chart's data are the full series (400 bars need no downsampling) and its last equity is the final equity.
    const chart = embedded.chart;
    expect(chart.bucketSize).toBe(1);
    expect(chart.time).toHaveLength(bars.length);
    expect(chart.equity[chart.equity.length - 1]).toBe(result.stats.finalEquityCash);
    expect(chart.markers.length).toBe(2 * result.trades.length);
    const tradeRows = await page.evaluate(() => document.querySelectorAll('#trades tbody tr').length);
    expect(tradeRows).toBe(Math.min(500, result.trades.length));
    await page.close();
  });

  it('renders in dark mode with the dark palette', async () => {
    const { page, activity } = await openReport(browser, file, 'dark');
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('ready');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(15, 17, 21)');
    // The chart background follows the palette: sample a pixel of the price chart.
    const pixel = await page.evaluate(() => {
      const canvas = document.querySelector('#chart-price canvas')!;
      return Array.from<number>(canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data);
    });
    expect(pixel.slice(0, 3)).toEqual([23, 26, 33]);
    expect(activity.consoleErrors).toEqual([]);
    await page.screenshot({ path: join(shotDir, 'report-dark.png'), fullPage: false });
    await page.close();
  });
});

describe.skipIf(!HAS_CHROMIUM)('the HTML report of a run without trades', () => {
  it('still draws the charts and explains every null figure', async () => {
    const { bars } = fixtureBacktest();
    const result = runBacktest(bars, { signal: { kind: 'signal', signal: new Float64Array(bars.length) }, bootstrapDraws: 20, periodsPerYear: 252 });
    expect(result.trades).toHaveLength(0);
    expect(result.notMeaningful.length).toBeGreaterThan(0);
    const file = join(dir, 'flat.html');
    writeReportHtml(file, { result, bars, generatedAtMs: GENERATED, assertion: checkBacktest('sharpe > 0 and trades >= 1', result) });
    const { page, activity } = await openReport(browser, file);
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('ready');
    expect(activity.consoleErrors).toEqual([]);
    expect(activity.pageErrors).toEqual([]);
    for (const id of ['chart-price', 'chart-equity', 'chart-drawdown']) expect((await canvasStats(page, id)).canvases, id).toBeGreaterThan(0);
    const nulls = await page.evaluate(() =>
      Array.from<any>(document.querySelectorAll('#stats-table td[data-value="null"]')).map((td) => ({
        key: td.dataset.key as string,
        reason: td.querySelector('.reason').textContent as string,
      })),
    );
    const expected = Object.fromEntries(result.notMeaningful.map((n) => [n.key, n.reason]));
    expect(nulls.map((x) => x.key).sort()).toEqual(STAT_KEY_LIST.filter((k) => result.stats[k] === null).sort());
    for (const x of nulls) if (expected[x.key] !== undefined) expect(x.reason, x.key).toBe(expected[x.key]);
    expect(await page.evaluate(() => document.querySelector('#trades summary').textContent)).toBe('0 trades');
    expect(await page.evaluate(() => document.querySelector('#random-baseline').tagName)).toBe('P');
    const gate = await page.evaluate(() => Array.from<any>(document.querySelectorAll('#gate .gate')).map((g) => g.textContent as string));
    expect(gate[1]).toContain('actual trades = 0');
    await page.screenshot({ path: join(shotDir, 'report-flat.png'), fullPage: true });
    await page.close();
  });
});

describe.skipIf(!HAS_CHROMIUM || !HAS_SHARED)('the HTML report on real data', () => {
  it('downsamples a long hourly series for the charts only and still draws them', async () => {
    const bars = readCsvSeries(sharedPath('data', 'market', 'backtesting.py', 'EURUSD-1h.csv'), '1h', 'EURUSD');
    const result = runBacktest(bars, { signal: { kind: 'strategy', name: 'sma-cross', params: { fast: 12, slow: 48 } }, direction: 'long-short', bootstrapDraws: 50, calendar: loadCalendar('fx') });
    const file = join(dir, 'eurusd.html');
    writeReportHtml(file, { result, bars, generatedAtMs: GENERATED, maxChartPoints: 1200 });
    const { page, activity } = await openReport(browser, file);
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('ready');
    const embedded = await page.evaluate(() => JSON.parse(document.getElementById('pulse-report-data')!.textContent!));
    expect(embedded.chart.bucketSize).toBe(Math.ceil(bars.length / 1200));
    expect(embedded.chart.sourceBars).toBe(bars.length);
    expect(Math.min(...embedded.chart.drawdownPct)).toBe(-result.stats.maxDrawdownPct!);
    expect(embedded.result.stats).toEqual(result.stats);
    const notes = await page.evaluate(() => Array.from<any>(document.querySelectorAll('#warnings li, #notes li')).map((li) => li.textContent ?? ''));
    expect(notes.some((n) => n.includes(`for ${bars.length.toLocaleString('en-US')} bars`))).toBe(true);
    for (const id of ['chart-price', 'chart-equity', 'chart-drawdown']) expect((await canvasStats(page, id)).inked, id).toBeGreaterThan(5000);
    expect(activity.consoleErrors).toEqual([]);
    expect(activity.blocked).toEqual([]);
    await page.screenshot({ path: join(shotDir, 'report-eurusd.png'), fullPage: true });
    await page.close();
  });

  it('renders a daily equity backtest (GOOG, SMA cross) that a human would read', async () => {
    const bars = readCsvSeries(sharedPath('data', 'market', 'backtesting.py', 'GOOG-1d.csv'), '1d', 'GOOG');
    const result = runBacktest(bars, { signal: { kind: 'strategy', name: 'sma-cross', params: { fast: 10, slow: 20 } }, bootstrapDraws: 100, calendar: loadCalendar('XNYS') });
    const file = join(dir, 'goog.html');
    writeReportHtml(file, { result, bars, generatedAtMs: GENERATED, assertion: checkBacktest('sharpe >= 0.5 and maxDrawdownPct < 40', result) });
    const { page, activity } = await openReport(browser, file);
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('ready');
    expect(activity.consoleErrors).toEqual([]);
    expect(activity.blocked).toEqual([]);
    await page.screenshot({ path: join(shotDir, 'report-goog.png'), fullPage: true });
    await page.close();
  });
});
