/**
 * The study report (`pulse optimize --report`) in headless Chromium: a study of the Branin function stored in a real
 * store, rendered offline; the history chart draws, importance bars and one slice plot per parameter are present,
 * and the page makes no request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { medianPruner } from '../../src/optimize/median.js';
import { historyData, writeStudyReportHtml } from '../../src/optimize/report-html.js';
import { studyReport } from '../../src/optimize/results.js';
import { categoricalDist, floatDist } from '../../src/optimize/space.js';
import { storeStudyStorage } from '../../src/optimize/store-storage.js';
import { Study, TrialPruned } from '../../src/optimize/study.js';
import { mixedBranin } from '../../src/optimize/test-functions.js';
import { tpeSampler } from '../../src/optimize/tpe.js';
import { openStore } from '../../src/store/store.js';
import { HAS_CHROMIUM, launchChromium, openReport } from '../helpers/browser.js';

declare const document: any;

const dir = mkdtempSync(join(tmpdir(), 'pulse-study-report-'));
let browser: Browser;
beforeAll(async () => {
  if (HAS_CHROMIUM) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stored study of 30 trials of a mixed Branin (two floats, one categorical), some pruned. */
async function braninStudy() {
  const store = await openStore(join(dir, 'home'));
  const space = { x1: floatDist(-5, 10), x2: floatDist(0, 15), c: categoricalDist(['a', 'b', 'c']) };
  const study = await Study.open({ storage: storeStudyStorage(store), name: 'branin', direction: 'minimize', space, sampler: tpeSampler(), pruner: medianPruner(), seed: 3, owner: null, subject: { symbol: 'ACME', interval: '1d', model: 'test', objective: 'branin' } });
  await study.optimize(async (t) => {
    const v = mixedBranin(t.params.x1 as number, t.params.x2 as number, t.params.c as string);
    await t.report(0, v * 1.1);
    if (await t.shouldPrune()) throw new TrialPruned();
    await t.report(1, v);
    return v;
  }, { nTrials: 30 });
  const report = await studyReport(store, 'branin');
  await store.close();
  return report;
}

describe('the study report data', () => {
  it('tracks the best value so far in the study direction', async () => {
    const report = await braninStudy();
    const h = historyData(report);
    expect(h.complete.length + h.pruned.length).toBe(30);
    expect(h.pruned.length).toBeGreaterThan(0);
    for (let i = 1; i < h.best.length; i++) expect(h.best[i].value).toBeLessThanOrEqual(h.best[i - 1].value);
    expect(h.best[h.best.length - 1].value).toBe(report.bestTrial!.value);
  });
});

describe.skipIf(!HAS_CHROMIUM)('the study report in headless Chromium', () => {
  it('draws the history offline, with importance bars and a slice per parameter', async () => {
    const report = await braninStudy();
    const file = join(dir, 'study.html');
    writeStudyReportHtml(file, report, Date.UTC(2026, 0, 1));
    const { page, activity } = await openReport(browser, file);
    expect(await page.evaluate(() => document.body.dataset.charts)).toBe('ready');
    const inked = await page.evaluate(() => {
      let n = 0;
      for (const canvas of Array.from<any>(document.querySelectorAll('#chart-history canvas'))) {
        if (canvas.width === 0) continue;
        const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 4; i < px.length; i += 4) if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2]) n++;
      }
      return n;
    });
    expect(inked).toBeGreaterThan(3000);
    expect(await page.locator('figure.slice').count()).toBe(3);
    expect(await page.locator('figure.slice').first().locator('circle').count()).toBe(report.trials.filter((t) => t.state === 'complete').length);
    expect(await page.locator('table.bars tr').count()).toBe(3);
    expect(activity.consoleErrors).toEqual([]);
    expect(activity.pageErrors).toEqual([]);
    expect(activity.blocked).toEqual([]);
    await page.screenshot({ path: join(process.env.PULSE_REPORT_SHOTS ?? dir, 'study-report.png'), fullPage: true });
    await page.close();
  });
});
