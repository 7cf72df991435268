/** pulse models compress on the built CLI: GBDT at every level, ridge pruning, refusals. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

const HAS_COMMAND = HAS_BUILD && /^\s+compress\b/m.test(pulse(['models', '--help']).stdout);

describe.skipIf(!HAS_COMMAND)('pulse models compress', () => {
  const tempHome = useTempHome();

  it('compresses a lightgbm model at each level into a smaller shadow version within the level\'s tolerances', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--seed', '3', '--from', '2019-01-01', '--to', '2023-01-01', ...h, '--quiet']).status).toBe(0);
    const t = pulse(['train', 'ACME', '--interval', '1d', '--model', 'lightgbm', '--folds', '2', '--params', 'num_iterations=80,early_stopping_round=0', ...h, '--json']);
    expect(t.status, t.stderr).toBe(0);
    const original = t.json().result.models[0].model;
    const lossRise = { conservative: 0.001, moderate: 0.005, aggressive: 0.02 };
    const sizes: number[] = [];
    for (const level of ['conservative', 'moderate', 'aggressive'] as const) {
      const c = pulse(['models', 'compress', original.id, '--level', level, ...h, '--json']);
      expect(c.status, c.stderr).toBe(0);
      const r = c.json().result;
      expect(r).toMatchObject({ level, family: 'lightgbm', metric: 'rmse', original: { id: original.id }, compressed: { status: 'shadow', parentId: original.id } });
      expect(r.tolerances.lossRise).toBe(lossRise[level]);
      expect(r.rows).toBeGreaterThan(50);
      expect(r.compressed.loss).toBeLessThanOrEqual(r.original.loss * (1 + lossRise[level]));
      expect(r.compressed.loss).toBeLessThanOrEqual(r.budget.loss);
      expect(r.maxAbsDiff).toBeLessThanOrEqual(r.budget.maxAbsDiff);
      expect(r.budget.maxAbsDiff).toBeGreaterThan(0);
      expect(r.compressed.bytes).toBeLessThan(r.original.bytes);
      expect(r.ratios.bytes).toBeCloseTo(r.compressed.bytes / r.original.bytes, 12);
      sizes.push(r.compressed.bytes);

      // the registered file is the pulse format's version 2 with the level's leaf encoding
      const show = { model: pulse(['models', 'show', r.compressed.id, ...h, '--json']).json().result };
      expect(show.model.parentId).toBe(original.id);
      expect(show.model.metrics.compression).toMatchObject({ level, parent: original.id, tolerances: { lossRise: lossRise[level] } });
      const file = JSON.parse(readFileSync(join(home, show.model.filePath), 'utf8'));
      expect(file.model.state.model.formatVersion).toBe(2);
      expect(['float16', 'int8']).toContain(file.model.state.model.ensemble.leafEncoding);

      // and predicts through the ordinary path
      const p = pulse(['predict', 'ACME', '--interval', '1d', '--model', r.compressed.id, ...h, '--json']);
      expect(p.status, p.stderr).toBe(0);
      expect(Number.isFinite(p.json().result.predictions[0].value)).toBe(true);
    }
    expect(sizes[2]).toBeLessThanOrEqual(sizes[0]);
    // the original stays the active model: a compressed version is promoted only through the gate
    const ls = pulse(['models', 'ls', ...h, '--json']).json().result.models as { id: string; status: string }[];
    expect(ls.filter((m) => m.status === 'active').map((m) => m.id)).toEqual([original.id]);

    const human = pulse(['models', 'compress', original.id, '--level', 'moderate', ...h]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/file size\s+\d+ B\s+\d+ B\s+x0\.\d+/);
    expect(human.stdout).toMatch(/test rmse/);
    expect(human.stdout).toContain('it reaches active only through `pulse promote');
    const shown = pulse(['models', 'show', human.stdout.split(' ')[0], ...h]);
    expect(shown.stdout).toContain(`compressed from ${original.id} at level moderate (loss +0.5% at most`);
  });

  it('prunes ridge coefficients, and refuses families it cannot compress with exit 2', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--seed', '5', '--from', '2019-01-01', '--to', '2023-01-01', ...h, '--quiet']).status).toBe(0);
    const ridge = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--params', 'alpha=1', '--folds', '2', ...h, '--json']).json().result.models[0].model;
    const c = pulse(['models', 'compress', ridge.id, '--level', 'aggressive', ...h, '--json']);
    expect(c.status, c.stderr).toBe(0);
    const r = c.json().result;
    expect(r.compressed).toMatchObject({ status: 'shadow', parentId: ridge.id });
    expect(r.steps.coefficients.pruned).toBeGreaterThan(0);
    expect(r.steps.coefficients.after).toBe(r.steps.coefficients.before - r.steps.coefficients.pruned);
    expect(r.compressed.loss).toBeLessThanOrEqual(r.budget.loss);
    expect(r.maxAbsDiff).toBeLessThanOrEqual(r.budget.maxAbsDiff);

    const naive = pulse(['train', 'ACME', '--interval', '1d', '--model', 'naive', '--folds', '2', ...h, '--json']).json().result.models[0].model;
    const refused = pulse(['models', 'compress', naive.id, '--level', 'moderate', ...h]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^pulse: usage: compression is not available for model ${naive.id}: family naive cannot be compressed`, 'm'));
    expect(refused.stderr).toContain('compression works on lightgbm, xgboost, rf, ridge, logistic models');
    expect(refused.stderr).not.toMatch(/\bat .*\.js:\d+/);
    const missing = pulse(['models', 'compress', 'lgbm-NONE-1d-v1', '--level', 'moderate', ...h]);
    expect(missing.status).toBe(3);
  });
});
