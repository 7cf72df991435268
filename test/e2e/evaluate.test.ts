/**
 * Replaying history and evaluating on the built CLI: a model trained with --to and a shadow, `pulse predict
 * --replay-from` over the rest, then `pulse evaluate` scores both on the same bars and `pulse promote --dry-run`
 * has evidence.
 */
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

interface Replayed {
  modelId: string;
  trainTo: number;
  predicted: number;
  skipped: number;
  firstBar: number;
  lastBar: number;
  outcomesFilled: number;
}

describe.skipIf(!HAS_BUILD)('pulse predict --replay-from, pulse evaluate', () => {
  const tempHome = useTempHome();

  it('replays a year out of sample with two models, evaluates them paired, and gives the promotion gate evidence', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2020-01-01', '--to', '2024-01-01', ...h]).status).toBe(0);
    const train = (...a: string[]) => pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', '--to', '2023-01-01', ...a, ...h, '--json']).json().result.models[0].model;
    const active = train();
    const shadow = train('--params', 'alpha=10');
    expect([active.status, shadow.status]).toEqual(['active', 'shadow']);

    // nothing to evaluate yet: one line naming how many predictions with outcomes exist
    const before = pulse(['evaluate', 'ACME', '--interval', '1d', ...h]);
    expect(before.status).toBe(3);
    expect(before.stderr).toContain(`(predictions with outcomes: ${active.slot} on ACME: ${active.id} 0, ${shadow.id} 0)`);
    expect(pulse(['evaluate', 'ACME', '--interval', '1h', ...h]).stderr).toMatch(/^pulse: usage: no active or shadow model for ACME 1h/m);

    // a range inside the training windows: nothing out of sample
    const inside = pulse(['predict', 'ACME', '--interval', '1d', '--replay-from', '2021-01-01', '--replay-to', '2022-01-01', ...h]);
    expect(inside.status).toBe(3);
    expect(inside.stderr).toMatch(/^pulse: error: no model can predict a bar of 2021-01-01\.\.2022-01-01 out of sample/m);

    const replay = pulse(['predict', 'ACME', '--interval', '1d', '--replay-from', '2022-10-01', ...h, '--json']);
    expect(replay.status, replay.stderr).toBe(0);
    const r = replay.json().result as { models: Replayed[]; predictions: number; outcomesFilled: number; failures: unknown[] };
    expect(r.failures).toEqual([]);
    expect(r.models.map((m) => m.modelId)).toEqual([active.id, shadow.id]);
    for (const m of r.models) {
      // strictly after the training end; the bars of the range inside it are skipped
      expect(m.firstBar).toBeGreaterThan(m.trainTo);
      expect(m.trainTo).toBeLessThan(Date.UTC(2023, 0, 1));
      expect(m.skipped).toBeGreaterThan(80);
      expect(m.predicted).toBeGreaterThan(300);
      expect(m.outcomesFilled).toBe(m.predicted - 1); // the newest bar's horizon has not passed
    }
    expect(r.models[0].predicted).toBe(r.models[1].predicted);

    const evaluated = pulse(['evaluate', 'ACME', '--interval', '1d', ...h, '--json']);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const result = evaluated.json().result;
    expect(result.slots).toHaveLength(1);
    const slot = result.slots[0];
    expect(slot).toMatchObject({ slot: active.slot, symbol: 'ACME', n: r.models[0].outcomesFilled, task: 'regression' });
    expect(slot.metrics.map((m: { modelId: string; n: number }) => [m.modelId, m.n])).toEqual([[active.id, slot.n], [shadow.id, slot.n]]);
    for (const m of slot.metrics) {
      expect(m.rmse).toBeGreaterThan(0);
      expect(m.hitInterval[0]).toBeLessThanOrEqual(m.hitRate);
      expect(m.hitInterval[1]).toBeGreaterThanOrEqual(m.hitRate);
      expect(typeof m.ic).toBe('number');
    }
    expect(slot.degradation).toMatchObject({ loss: 'rmse', n: slot.n, degraded: expect.any(Boolean), reasons: expect.any(Array) });

    // per month, recorded in the performance history; the periods cover the window
    const monthly = pulse(['evaluate', 'ACME', '--interval', '1d', '--last', '100', '--by', 'month', ...h, '--json']).json().result;
    const periods = monthly.slots[0].periods as { models: { n: number }[] }[];
    expect(monthly.slots[0].n).toBe(100);
    expect(periods.reduce((s, p) => s + p.models[0].n, 0)).toBe(100);
    expect(monthly.recorded).toBe(periods.length * 2);
    const human = pulse(['evaluate', 'ACME', '--interval', '1d', '--by', 'week', ...h]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/paired bars with outcomes/);
    expect(human.stdout).toMatch(/recorded \d+ performance-history row/);

    // replaying again replaces, never duplicates
    expect(pulse(['predict', 'ACME', '--interval', '1d', '--replay-from', '2022-10-01', ...h]).status).toBe(0);
    expect(pulse(['evaluate', 'ACME', '--interval', '1d', ...h, '--json']).json().result.slots[0].n).toBe(slot.n);

    const dry = pulse(['promote', shadow.id, '--dry-run', ...h, '--json']);
    expect([0, 4]).toContain(dry.status);
    expect(dry.json().result).toMatchObject({ candidate: shadow.id, active: active.id, n: slot.n, applied: false });
  });
});
