/** pulse drift-check --report on the built CLI, opened in headless Chromium: drifted columns first, every chart drawn, offline. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchChromium, watchPage } from '../helpers/browser.js';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

declare const document: any;

describe.skipIf(!HAS_BUILD || !HAS_CHROMIUM)('pulse drift-check --report', () => {
  const tempHome = useTempHome();

  it('writes a page with every checked column charted, drifted ones first, before exiting 4', async () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2018-01-01', '--to', '2024-06-01', ...h]).status).toBe(0);
    expect(pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', '--to', '2023-01-01', ...h]).status).toBe(0);
    const file = join(home, 'drift.html');
    const r = pulse(['drift-check', 'ACME', '--interval', '1d', '--model', 'active', '--report', file, ...h, '--json']);
    expect(r.status, r.stderr).toBe(4);
    const result = r.json().result;
    expect(result.distributions).toBeUndefined();
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const columns = result.features.length + 2; // features, prediction and target

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const url = pathToFileURL(file).href;
      const activity = await watchPage(page, [url]);
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.charts !== undefined, undefined, { timeout: 30_000 });
      const state = await page.evaluate(() => ({
        charts: document.body.dataset.charts,
        drawn: Number(document.body.dataset.drawn),
        panels: Array.from<any>(document.querySelectorAll('section.column')).map((s) => s.dataset.drifted === 'true'),
        rows: document.querySelectorAll('#columns tbody tr').length,
        verdict: document.getElementById('verdict').dataset.datasetDrift,
        firstCanvas: (() => {
          const canvas = document.querySelector('#chart-0 canvas');
          const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 4; i < px.length; i += 4) if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2]) inked++;
          return inked;
        })(),
      }));
      expect(state.charts).toBe('ready');
      expect(state.drawn).toBe(columns);
      expect(state.rows).toBe(columns);
      expect(state.verdict).toBe('true');
      // Drifted columns come first: no drifted panel after an undrifted one.
      expect(state.panels.indexOf(false) === -1 || state.panels.slice(state.panels.indexOf(false)).every((d) => !d)).toBe(true);
      expect(state.panels[0]).toBe(true);
      expect(state.firstCanvas).toBeGreaterThan(100);
      expect(activity.consoleErrors).toEqual([]);
      expect(activity.pageErrors).toEqual([]);
      expect(activity.blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
