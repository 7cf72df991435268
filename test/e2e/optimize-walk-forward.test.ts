/**
 * pulse optimize --walk-forward on the built CLI: a run interrupted with SIGINT in its second window exits 130 and
 * a re-run reuses the completed window; the JSON document's figures are consistent (efficiency from the reported
 * values, rolling windows back to back, stability from the best parameters); `pulse train` on a window's bars with
 * its best parameters and seed reproduces the in-sample value (cross-validation mean) and the out-of-sample value
 * (test tail) exactly; show, ls and --report; bad input exits 2 or 3 with one line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse, pulseAsync } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Range {
  from: number;
  to: number;
  bars: number;
}
interface Window {
  index: number;
  inSample: Range;
  outOfSample: Range;
  study: string;
  seed: number;
  bestTrial: number;
  bestParams: Record<string, number>;
  inSampleValue: number;
  outOfSampleValue: number | null;
  outOfSampleNote: string | null;
  efficiency: number | null;
}
interface Doc {
  study: string;
  direction: string;
  seed: number;
  complete: boolean;
  windowsPlanned: number;
  ranWindows?: number;
  reusedWindows?: number;
  walkForward: { scheme: string; windows: Window[]; efficiency: number | null; efficiencyWindows: number; stability: Record<string, { kind: string; values: number[]; mean: number; std: number; cv: number | null }> };
}

describe.skipIf(!HAS_BUILD)('pulse optimize --walk-forward', () => {
  const tempHome = useTempHome();

  it('resumes after SIGINT reusing completed windows; consistent figures, reproduced by pulse train; show, ls, report; bad input', async () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2021-01-01', '--to', '2023-06-01', ...h]).status).toBe(0);
    const args = ['optimize', 'ACME', '-i', '1d', '--model', 'ridge', '--walk-forward', '3', '--trials', '60', '--folds', '3', '--study', 'wf', '--seed', '5', ...h];

    // Interrupt in the second window.
    const run = pulseAsync(args);
    let progress = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`window 2 did not start within 60 s: ${progress}`)), 60_000);
      run.child.stderr!.on('data', (d) => {
        progress += d;
        if (/window 2\/3/.test(progress)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    run.child.kill('SIGINT');
    expect((await run.done).status).toBe(130);
    const partial = pulse(['optimize', 'show', 'wf', '-f', 'json', ...h]).json() as Doc;
    expect(partial.complete).toBe(false);
    expect(partial.walkForward.windows.map((w) => w.index)).toEqual([1]);

    const resumed = pulse([...args, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const doc = resumed.json().result as Doc;
    expect(doc).toMatchObject({ study: 'wf', direction: 'minimize', seed: 5, complete: true, windowsPlanned: 3, ranWindows: 2, reusedWindows: 1 });
    const ws = doc.walkForward.windows;
    expect(ws.map((w) => w.index)).toEqual([1, 2, 3]);
    expect(ws[0]).toEqual(partial.walkForward.windows[0]);
    expect(doc.walkForward.scheme).toBe('rolling');

    // The figures agree with each other.
    for (const w of ws) {
      expect(w.study).toBe(`wf.wf${w.index}`);
      expect(w.outOfSampleValue).not.toBeNull();
      expect(w.efficiency).toBe(w.inSampleValue / w.outOfSampleValue!);
      expect(w.inSample.to).toBeLessThan(w.outOfSample.from);
      expect(w.outOfSample.bars).toBe(ws[0].outOfSample.bars);
      // the in-sample value is the window study's best value
      const shown = pulse(['optimize', 'show', w.study, '-f', 'json', ...h]).json();
      expect(shown.bestTrial).toMatchObject({ number: w.bestTrial, value: w.inSampleValue, params: w.bestParams });
      expect(shown.seed).toBe(w.seed);
      expect(shown.subject).toMatchObject({ walkForward: 'wf', window: String(w.index), testSize: '0' });
    }
    // rolling: each window is optimised on the previous window's out-of-sample bars (minus the purge of h = 1)
    for (const k of [1, 2]) {
      expect(ws[k].inSample.from).toBe(ws[k - 1].outOfSample.from);
      expect(ws[k].inSample.bars).toBe(ws[k - 1].outOfSample.bars - 1);
    }
    expect(doc.walkForward.efficiency).toBe(ws.reduce((s, w) => s + w.efficiency!, 0) / 3);
    expect(doc.walkForward.efficiencyWindows).toBe(3);
    const alpha = doc.walkForward.stability.alpha;
    expect(alpha.values).toEqual(ws.map((w) => w.bestParams.alpha));
    const mean = alpha.values.reduce((s, v) => s + v, 0) / 3;
    expect(alpha.mean).toBeCloseTo(mean, 6);
    expect(alpha.cv).toBeCloseTo(Math.sqrt(alpha.values.reduce((s, v) => s + (v - mean) ** 2, 0) / 3) / mean, 10);

    // pulse train on window 2's bars with its best parameters and seed: the cross-validation mean is the in-sample
    // value, and a test tail of exactly the out-of-sample bars (after the purged bar) gives the out-of-sample value.
    const w2 = ws[1];
    const labelled = w2.inSample.bars + 1 + w2.outOfSample.bars;
    const trained = pulse(['train', 'ACME', '-i', '1d', '--params-from', 'wf.wf2', '--from', day(w2.inSample.from), '--to', day(w2.outOfSample.to + 2 * DAY),
      '--test-size', String(w2.outOfSample.bars / labelled), '--folds', '3', '--seed', String(w2.seed), ...h, '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    const model = trained.json().result.models[0];
    expect(model.rows).toMatchObject({ development: w2.inSample.bars, test: w2.outOfSample.bars });
    expect(model.cvMetrics.rmse).toBe(w2.inSampleValue);
    expect(model.testMetrics.rmse).toBe(w2.outOfSampleValue);

    // Show, ls, report; a second re-run reuses every window.
    const shown = pulse(['optimize', 'show', 'wf', '-f', 'json', ...h]).json() as Doc;
    const { ranWindows: _r, reusedWindows: _u, ...stored } = doc;
    expect(shown).toEqual(stored);
    expect(pulse(['optimize', 'show', 'wf', '-f', 'value', ...h]).stdout.trim()).toBe(String(doc.walkForward.efficiency));
    const table = pulse(['optimize', 'show', 'wf', ...h]);
    expect(table.stdout).toContain('mean efficiency');
    expect(table.stdout).toContain('in-sample / out-of-sample; 1 = no degradation');
    const ls = pulse(['optimize', 'ls', ...h, '--json']).json().result;
    expect(ls.studies.map((s: { study: string }) => s.study).sort()).toEqual(['wf.wf1', 'wf.wf2', 'wf.wf3']);
    expect(ls.walkForwards).toEqual([expect.objectContaining({ study: 'wf', scheme: 'rolling', windows: 3, completeWindows: 3, efficiency: doc.walkForward.efficiency })]);
    const again = pulse([...args, '--json', '--report', join(home, 'wf.html')]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.json().result).toMatchObject({ ranWindows: 0, reusedWindows: 3, walkForward: doc.walkForward });
    const html = readFileSync(join(home, 'wf.html'), 'utf8');
    expect(html).toContain('In sample and out of sample');
    expect(html.match(/<rect class="oos"/g)).toHaveLength(3);

    // Anchored, an objective to maximize: efficiency out of sample over in sample, null where in sample <= 0.
    const anchored = pulse(['optimize', 'ACME', '-i', '1d', '--model', 'ridge', '--walk-forward', '3', '--wf-anchored', '--objective', 'sharpe', '--trials', '4', '--folds', '3', '--study', 'anch', ...h, '--json']);
    expect(anchored.status, anchored.stderr).toBe(0);
    const a = anchored.json().result as Doc;
    expect(a.direction).toBe('maximize');
    expect(a.walkForward.scheme).toBe('anchored');
    for (const w of a.walkForward.windows) {
      expect(w.inSample.from).toBe(a.walkForward.windows[0].inSample.from);
      expect(w.efficiency).toBe(w.inSampleValue > 0 && w.outOfSampleValue !== null ? w.outOfSampleValue / w.inSampleValue : null);
    }

    // Bad input: one line each.
    const bad: [string[], number, string][] = [
      [['--walk-forward', '1'], 2, 'pulse: usage: --walk-forward "1" is not valid (use a whole number from 2 to 100)'],
      [['--walk-forward', '40', '--folds', '5'], 3, 'pulse: error: --walk-forward 40 leaves 19 in-sample bars in window 1'],
      [['--walk-forward', '3', '--register'], 2, 'pulse: usage: --register does not go with --walk-forward'],
      [['--walk-forward', '3', '--folds', '4', '--study', 'wf'], 2, 'pulse: usage: walk-forward "wf" was created with folds 3, not folds 4'],
      [['--study', 'wf'], 2, 'pulse: usage: "wf" names a walk-forward optimisation, not a study'],
    ];
    for (const [extra, code, line] of bad) {
      const r = pulse(['optimize', 'ACME', '-i', '1d', '--model', 'ridge', ...extra, ...h]);
      expect(r.status, r.stderr).toBe(code);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(line);
    }
  }, 240_000);
});
