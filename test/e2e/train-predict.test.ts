import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse train, models, predict end to end', () => {
  const tempHome = useTempHome();

  it('trains into the registry (active then shadow), predicts with both, fills outcomes and falls back loudly', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2019-01-01', '--to', '2024-06-01', ...h]).status).toBe(0);
    const first = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', '--seed', '5', ...h, '--json']);
    expect(first.status, first.stderr).toBe(0);
    const a = first.json().result.models[0];
    expect(a.model).toMatchObject({ id: 'ridge-ACME-1d-v1', status: 'active', seed: 5, target: 'return', horizon: 1 });
    expect(a.cvMetrics.rmse).toBeGreaterThan(0);
    expect(a.baselineCvMetrics.rmse).toBeGreaterThan(0);
    expect(a.conformal.levels.map((l: { coverage: number }) => l.coverage)).toEqual([0.8, 0.9]);
    const second = pulse(['train', 'ACME', '--interval', '1d', '--model', 'lightgbm', '--folds', '3', '--params', 'num_iterations=40', ...h, '--json']);
    expect(second.status, second.stderr).toBe(0);
    const b = second.json().result.models[0].model;
    expect(b).toMatchObject({ id: 'lgbm-ACME-1d-v1', status: 'shadow', parentId: 'ridge-ACME-1d-v1' });

    const ls = pulse(['models', 'ls', ...h, '--json']).json().result.models;
    expect(ls.map((m: { id: string; status: string }) => `${m.id}:${m.status}`).sort()).toEqual(['lgbm-ACME-1d-v1:shadow', 'ridge-ACME-1d-v1:active']);
    expect(pulse(['models', 'show', 'lgbm-ACME-1d-v1', ...h]).stdout).toContain('top features');
    const cmp = pulse(['models', 'compare', 'ridge-ACME-1d-v1', 'lgbm-ACME-1d-v1', ...h, '--json']).json().result;
    expect(cmp.sameSlot).toBe(true);
    expect(cmp.metrics.find((m: { split: string; metric: string }) => m.split === 'cv' && m.metric === 'rmse')).toBeDefined();
    const rm = pulse(['models', 'rm', 'ridge-ACME-1d-v1', ...h]);
    expect(rm.status).toBe(2);
    expect(rm.stderr).toContain('--force');
    expect(pulse(['jobs', 'ls', ...h, '--json']).json().result.jobs.map((j: { status: string }) => j.status)).toEqual(['completed', 'completed']);

    const p1 = pulse(['predict', 'ACME', '--interval', '1d', ...h, '--json']);
    expect(p1.status, p1.stderr).toBe(0);
    const preds = p1.json().result.predictions;
    expect(preds.map((p: { modelId: string }) => p.modelId)).toEqual(['ridge-ACME-1d-v1', 'lgbm-ACME-1d-v1']);
    expect(preds[0].barTs).toBe(Date.UTC(2024, 4, 31));
    expect(['long', 'short', 'flat']).toContain(preds[0].signal);
    // idempotent per (model, bar)
    pulse(['predict', 'ACME', '--interval', '1d', ...h]);
    expect(pulse(['predictions', 'ls', 'ACME', ...h, '--json']).json().result.predictions).toHaveLength(2);
    // new bars arrive: the earlier predictions get their outcome
    pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--to', '2024-07-01', ...h]);
    const p2 = pulse(['predict', 'ACME', '--interval', '1d', ...h, '--json']).json().result;
    expect(p2.outcomesFilled).toBe(2);
    const stored = pulse(['predictions', 'ls', 'ACME', ...h, '--json']).json().result.predictions;
    const old = stored.filter((p: { barTs: number }) => p.barTs === Date.UTC(2024, 4, 31));
    expect(old.every((p: { outcome: number | null }) => typeof p.outcome === 'number')).toBe(true);

    // a tampered active model file: naive fallback, a loud warning, exit 3
    const file = ls.find((m: { id: string }) => m.id === 'ridge-ACME-1d-v1');
    expect(file).toBeDefined();
    appendFileSync(pulse(['models', 'show', 'ridge-ACME-1d-v1', ...h, '--json']).json().result.file, ' ');
    const fb = pulse(['predict', 'ACME', '--interval', '1d', ...h, '--json']);
    expect(fb.status).toBe(3);
    expect(fb.stderr).toContain('naive baseline');
    expect(fb.json().result.predictions[0]).toMatchObject({ modelId: 'ridge-ACME-1d-v1', fallback: true, signal: 'flat' });
  });

  it('refuses bad requests with one line and the right exit code', () => {
    const home = tempHome();
    const h = ['--home', home];
    pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2024-01-01', '--to', '2024-04-01', ...h]);
    const cases: [string[], number, RegExp][] = [
      [['train', 'ACME', '--interval', '1d', '--model', 'deepnet'], 2, /unknown model "deepnet"/],
      [['train', 'ACME', '--interval', '1d', '--target', 'vol'], 2, /unknown target "vol"/],
      [['train', 'ACME', '--interval', '1d', '--params', 'learning_rate=7'], 2, /learning_rate/],
      [['train', 'ACME', '--interval', '1d'], 3, /needs at least \d+ bars|bars/],
      [['train', 'NOPE', '--interval', '1d'], 3, /no 1d bars stored for NOPE/],
      [['predict', 'ACME', '--interval', '1d'], 3, /no active or shadow model/],
      [['models', 'show', 'nope-v1'], 3, /no model "nope-v1"/],
    ];
    for (const [args, code, re] of cases) {
      const r = pulse([...args, ...h]);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('pulse: error') || l.startsWith('pulse: usage'))).toHaveLength(1);
    }
  });
});
