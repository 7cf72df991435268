/**
 * src/evaluation is a low layer: it depends on src/core only, so models, gbdt and train can all use it without a
 * cycle, and it owns the metric definitions alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Repository-relative targets of the static and dynamic imports of `file` (bare specifiers as given). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => (s.startsWith('.') ? relative(REPO_ROOT, resolve(dirname(file), s)) : s));
}

const SRC = join(REPO_ROOT, 'src');

describe('layering', () => {
  it('src/evaluation imports nothing but src/evaluation and src/core', () => {
    const files = sourceFiles(join(SRC, 'evaluation'));
    expect(files.length).toBeGreaterThan(10);
    const outside = files.flatMap((f) => importsOf(f).filter((t) => !/^src\/(evaluation|core)\//.test(t)).map((t) => `${relative(REPO_ROOT, f)} -> ${t}`));
    expect(outside).toEqual([]);
  });

  it('src/models does not import src/train (the splits it needs live in src/evaluation)', () => {
    const bad = sourceFiles(join(SRC, 'models')).flatMap((f) => importsOf(f).filter((t) => t.startsWith('src/train/')).map((t) => `${relative(REPO_ROOT, f)} -> ${t}`));
    expect(bad).toEqual([]);
  });

  it('no module outside src/evaluation declares its own metric or binary search', () => {
    const names = 'rmse|mae|mape|r2|logLoss|logloss|multiLogloss|auc|rocAuc|aucOneVsRest|accuracy|brier|directionalAccuracy|informationCoefficient|lowerBound|upperBound';
    const declaration = new RegExp(`^(?:export )?(?:function|const|let) (${names})\\b`, 'm');
    const owners = new Set(['src/core/arrays.ts']);
    const found = sourceFiles(SRC)
      .map((f) => relative(REPO_ROOT, f))
      .filter((f) => !f.startsWith('src/evaluation/') && !owners.has(f))
      .filter((f) => declaration.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });
});
