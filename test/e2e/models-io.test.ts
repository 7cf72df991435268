import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';
import { fixturePath } from '../helpers/shared.js';

const ORACLE = JSON.parse(readFileSync(fixturePath('models', 'xgb-import.oracle.json'), 'utf8')) as {
  set: unknown;
  rows: { timestamp: string; return: number; direction: number; nonames: number }[];
};

/** The commands are declared in commands/program.ts; run only against a build that has them. */
const MODELS_HELP = HAS_BUILD ? pulse(['models', '--help']).stdout : '';
const HAS_COMMANDS = ['explain', 'export', 'import'].every((c) => new RegExp(`^\\s+${c}\\b`, 'm').test(MODELS_HELP));

/** A home with the fixtures' feature set and the bars the Python fixtures were trained on. */
function prepare(home: string): string[] {
  mkdirSync(join(home, 'featuresets'), { recursive: true });
  writeFileSync(join(home, 'featuresets', 'small.json'), JSON.stringify(ORACLE.set));
  const c = pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--seed', '7', '--from', '2021-01-01', '--to', '2023-01-01', '--calendar', 'XNYS', '--home', home, '--quiet']);
  expect(c.status, c.stderr).toBe(0);
  return ['--home', home];
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.abs(b);

describe.skipIf(!HAS_COMMANDS)('pulse models explain / export / import end to end', () => {
  const tempHome = useTempHome();

  it('imports a Python XGBoost model that predict and explain use like any model, with XGBoost\'s predictions', () => {
    const h = prepare(tempHome());
    const file = fixturePath('models', 'xgb-return-small.json');
    const imp = pulse(['models', 'import', file, '--format', 'xgboost', '--symbol', 'acme', '--interval', '1d', '--set', 'small', '--target', 'return', ...h, '--json']);
    expect(imp.status, imp.stderr).toBe(0);
    const model = imp.json().result.model;
    expect(model).toMatchObject({ id: 'xgb-ACME-1d-v1', family: 'xgboost', mode: 'imported', status: 'active', featureSet: 'small' });

    const newest = ORACLE.rows[ORACLE.rows.length - 1];
    const p = pulse(['predict', 'ACME', '--interval', '1d', '--model', model.id, ...h, '--json']);
    expect(p.status, p.stderr).toBe(0);
    const pred = p.json().result.predictions[0];
    expect(pred.barTs).toBe(Date.parse(newest.timestamp));
    expect(close(pred.value, newest.return)).toBe(true);

    // the oldest and newest oracle rows (test/lifecycle/interop.test.ts checks all five in process)
    for (const row of [ORACLE.rows[0], newest]) {
      const e = pulse(['models', 'explain', model.id, '--at', row.timestamp, '--top', '3', ...h, '--json']);
      expect(e.status, e.stderr).toBe(0);
      const r = e.json().result;
      expect(r.barTime).toBe(Date.parse(row.timestamp));
      expect(close(r.prediction.transformed, row.return)).toBe(true);
      expect(r.contributions).toHaveLength(3);
      expect(r.rest.features).toBe(5);
      const total = r.contributions.reduce((s: number, c: { contribution: number }) => s + c.contribution, r.baseValue + r.rest.contribution);
      expect(Math.abs(total - r.prediction.raw)).toBeLessThan(1e-6 * Math.abs(r.prediction.raw));
    }
    const human = pulse(['models', 'explain', model.id, '--top', '2', ...h]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('TreeSHAP');
    expect(human.stdout).toMatch(/base value .* \+ contributions = /);
    expect(human.stdout).toContain('(6 others)');

    const dir = pulse(['models', 'import', fixturePath('models', 'xgb-direction-small.json'), '--format', 'xgboost', '--symbol', 'ACME', '--interval', '1d', '--set', 'small', '--target', 'direction', ...h, '--json']);
    expect(dir.status, dir.stderr).toBe(0);
    const d = pulse(['models', 'explain', dir.json().result.model.id, '--at', newest.timestamp, ...h, '--json']).json().result;
    expect(close(d.prediction.transformed, newest.direction)).toBe(true);
  });

  it('refuses imports that do not fit, with exit 3 for the file and 2 for the options', () => {
    const h = prepare(tempHome());
    const file = fixturePath('models', 'xgb-return-small.json');
    const args = ['--symbol', 'ACME', '--interval', '1d', '--set', 'small', '--target', 'return', ...h];
    const wrong = pulse(['models', 'import', file, '--format', 'lightgbm', ...args]);
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain('use --format xgboost');
    const names = pulse(['models', 'import', file, '--format', 'xgboost', ...args.slice(0, 4), '--set', 'default', '--target', 'return', ...h]);
    expect(names.status).toBe(3);
    expect(names.stderr).toMatch(/the model has 8 features but feature set "default" has \d+/);
    const objective = pulse(['models', 'import', file, '--format', 'xgboost', ...args.slice(0, 6), '--target', 'direction', ...h]);
    expect(objective.status).toBe(3);
    expect(objective.stderr).toContain('does not fit target direction');
    expect(pulse(['models', 'import', file, '--format', 'xgboost', ...args.slice(0, 6), '--target', 'triple-barrier', ...h]).status).toBe(2);
    expect(pulse(['models', 'ls', ...h, '--json']).json().result.models).toHaveLength(0);
  });

  it('exports a trained model as its registry document and as LightGBM text that imports back to the same predictions', () => {
    const home = tempHome();
    const h = prepare(home);
    const t = pulse(['train', 'ACME', '--interval', '1d', '--set', 'small', '--params', 'num_iterations=20,num_leaves=7,min_data_in_leaf=20', '--folds', '2', ...h, '--json']);
    expect(t.status, t.stderr).toBe(0);
    const trained = t.json().result.models[0].model;
    const doc = pulse(['models', 'export', trained.id, '--format', 'pulse', ...h]);
    expect(doc.status, doc.stderr).toBe(0);
    expect(doc.stdout).toBe(readFileSync(trained.file, 'utf8'));
    const out = join(home, 'model.txt');
    const lgb = pulse(['models', 'export', trained.id, '--format', 'lightgbm', '--out', out, ...h, '--json']);
    expect(lgb.status, lgb.stderr).toBe(0);
    expect(lgb.json().result).toMatchObject({ modelId: trained.id, format: 'lightgbm', file: out });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('tree');
    const imp = pulse(['models', 'import', out, '--format', 'lightgbm', '--symbol', 'ACME', '--interval', '1d', '--set', 'small', '--target', 'return', '--horizon', '2', ...h, '--json']);
    expect(imp.status, imp.stderr).toBe(0);
    const at = ORACLE.rows[0].timestamp;
    const a = pulse(['models', 'explain', trained.id, '--at', at, ...h, '--json']).json().result;
    const b = pulse(['models', 'explain', imp.json().result.model.id, '--at', at, ...h, '--json']).json().result;
    expect(b.prediction).toEqual(a.prediction);
    expect(b.contributions).toEqual(a.contributions);

    const naive = pulse(['train', 'ACME', '--interval', '1d', '--set', 'small', '--model', 'naive', '--folds', '2', ...h, '--json']);
    expect(naive.status, naive.stderr).toBe(0);
    const naiveId = naive.json().result.models[0].model.id;
    const noTrees = pulse(['models', 'export', naiveId, '--format', 'lightgbm', ...h]);
    expect(noTrees.status).toBe(2);
    expect(noTrees.stderr).toContain('needs a GBDT model');
    const noFeatures = pulse(['models', 'explain', naiveId, ...h]);
    expect(noFeatures.status).toBe(2);
    expect(noFeatures.stderr).toContain('reads no features');
  });
});
