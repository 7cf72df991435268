/**
 * The walk-forward report (`pulse optimize ... --walk-forward N --report FILE.html`) in headless Chromium: four
 * windows, one with a negative out-of-sample value and one whose out-of-sample value is undefined. The chart lays
 * out as drawn (each bar's height proportional to its value, negative bars below the zero line, no bar for the
 * undefined value), the tables hold one row per window and per parameter, and the page makes no request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoricalDist, floatDist } from '../../src/optimize/space.js';
import { walkForwardDocumentOf } from '../../src/optimize/walk-forward/document.js';
import { writeWalkForwardReportHtml } from '../../src/optimize/walk-forward/report-html.js';
import type { WalkForwardWindowRow } from '../../src/store/records.js';
import { HAS_CHROMIUM, launchChromium, openReport } from '../helpers/browser.js';

declare const document: any;

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

/** In-sample and out-of-sample values per window (maximised objective). */
const VALUES: [number, number | null][] = [
  [1.2, 0.8],
  [1.5, -0.4],
  [0.9, null],
  [1.1, 1.0],
];

function document4() {
  const windows: WalkForwardWindowRow[] = VALUES.map(([is, oos], i) => ({
    walkForward: 'acme-wf', window: i + 1, study: `acme-wf.wf${i + 1}`, seed: 100 + i,
    inSampleFrom: T0 + i * 200 * DAY, inSampleTo: T0 + (i * 200 + 399) * DAY, inSampleBars: 400,
    outOfSampleFrom: T0 + (i * 200 + 405) * DAY, outOfSampleTo: T0 + (i * 200 + 604) * DAY, outOfSampleBars: 200,
    bestTrial: 3 + i, bestParams: { alpha: 0.1 * (i + 1), kind: i % 2 ? 'b' : 'a' },
    inSampleValue: is, outOfSampleValue: oos, outOfSampleNote: oos === null ? 'constant predictions' : null, finishedAt: T0,
  }));
  return walkForwardDocumentOf({
    name: 'acme-wf', direction: 'maximize', seed: 7, windows: 4, scheme: 'rolling', dataTo: T0 + 1500 * DAY, createdAt: T0,
    settings: { subject: { symbol: 'ACME', interval: '1d', model: 'ridge', objective: 'sharpe' }, sampler: 'tpe', pruner: 'median', space: { alpha: floatDist(0.01, 1), kind: categoricalDist(['a', 'b']) } },
  }, windows);
}

const dir = mkdtempSync(join(tmpdir(), 'pulse-wf-report-'));
let browser: Browser;
beforeAll(async () => {
  if (HAS_CHROMIUM) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAS_CHROMIUM)('the walk-forward report in headless Chromium', () => {
  it('lays the bars out by value around the zero line, offline, with one table row per window', async () => {
    const doc = document4();
    const file = join(dir, 'wf.html');
    writeWalkForwardReportHtml(file, doc, Date.UTC(2026, 0, 1));
    const { page, activity } = await openReport(browser, file);
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('ready');

    const chart = await page.evaluate(() => {
      const svg = document.querySelector('svg.wf');
      const axis = svg.querySelector('line.ax').getBoundingClientRect();
      const box = (r: any) => { const b = r.getBoundingClientRect(); return { top: b.top, bottom: b.bottom, height: b.height, width: b.width }; };
      return {
        svg: box(svg),
        zero: axis.top,
        is: Array.from<any>(svg.querySelectorAll('rect.is')).map(box),
        oos: Array.from<any>(svg.querySelectorAll('rect.oos')).map(box),
      };
    });
    expect(chart.svg.width).toBeGreaterThan(300);
    expect(chart.svg.height).toBeGreaterThan(100);
    expect(chart.is).toHaveLength(4);
    expect(chart.oos).toHaveLength(3); // window 3 has no out-of-sample value
    const bars = [...chart.is.map((b, i) => ({ b, v: VALUES[i][0] })), ...[0, 1, 3].map((w, j) => ({ b: chart.oos[j], v: VALUES[w][1]! }))];
    const pxPerUnit = chart.is[0].height / VALUES[0][0];
    for (const { b, v } of bars) {
      expect(b.width).toBeGreaterThan(2);
      expect(b.height).toBeCloseTo(Math.abs(v) * pxPerUnit, 0);
      // Positive bars stand on the zero line; negative ones hang below it.
      if (v > 0) expect(b.bottom).toBeCloseTo(chart.zero, 0);
      else expect(b.top).toBeCloseTo(chart.zero, 0);
    }

    expect(await page.locator('svg.wf g.ticks').first().locator('text').allTextContents()).toEqual(['-0.4', '0', '1.5']);

    expect(await page.locator('table.trials').first().locator('tr').count()).toBe(1 + 4);
    expect(await page.locator('table.trials').nth(1).locator('tr').count()).toBe(2);
    expect(await page.locator('text=constant predictions').count()).toBe(1);
    expect(activity.consoleErrors).toEqual([]);
    expect(activity.pageErrors).toEqual([]);
    expect(activity.blocked).toEqual([]);
    await page.screenshot({ path: join(process.env.PULSE_REPORT_SHOTS ?? dir, 'walk-forward-report.png'), fullPage: true });
    await page.close();
  });
});
