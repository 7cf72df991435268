/**
 * The lifecycle's place in the layers: it sits above models and the registry and below train, predict and
 * backtest, so nothing it imports reaches back up; predict and backtest reach training only through it; and the
 * code outside src/models learns what a family can do from its traits, never from its name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Repository-relative targets of the relative imports of `file`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => relative(REPO_ROOT, resolve(dirname(file), m[1])));
}

function offending(folders: string[], forbidden: RegExp): string[] {
  return folders.flatMap((d) => sourceFiles(join(REPO_ROOT, d)))
    .flatMap((f) => importsOf(f).filter((t) => forbidden.test(t)).map((t) => `${relative(REPO_ROOT, f)} -> ${t}`));
}

describe('lifecycle layering', () => {
  it('src/lifecycle imports no layer above it', () => {
    expect(offending(['src/lifecycle'], /^(src\/(train|predict|backtest|monitor|optimize|pipeline|ops)|commands|bin)\//)).toEqual([]);
  });

  it('src/registry (the store of registered models) imports neither the lifecycle nor anything above it', () => {
    expect(offending(['src/registry'], /^(src\/(lifecycle|train|predict|backtest|monitor|optimize|pipeline|ops)|commands|bin)\//)).toEqual([]);
  });

  it('predict and backtest do not import train', () => {
    expect(offending(['src/predict', 'src/backtest'], /^src\/train\//)).toEqual([]);
  });

  it('outside src/models no code switches on a family name or lists families', () => {
    const families = 'lightgbm|xgboost|rf|ridge|logistic|naive|ensemble';
    const patterns = [
      new RegExp(`family\\s*[!=]==?\\s*'(${families})'`),
      new RegExp(`case\\s+'(${families})'\\s*:`),
      new RegExp(`'(${families})'\\s*,\\s*'(${families})'`),
      /switch\s*\([^)]*family[^)]*\)/,
    ];
    // src/gbdt's engine modes (lightgbm, xgboost, rf) are the engine's own, not model families
    const found = sourceFiles(join(REPO_ROOT, 'src'))
      .map((f) => relative(REPO_ROOT, f))
      .filter((f) => !f.startsWith('src/models/') && !f.startsWith('src/gbdt/'))
      .filter((f) => patterns.some((p) => p.test(readFileSync(join(REPO_ROOT, f), 'utf8'))));
    expect(found).toEqual([]);
  });

  it('only src/lifecycle/document.ts knows the registry document\'s format marker', () => {
    const found = sourceFiles(join(REPO_ROOT, 'src'))
      .map((f) => relative(REPO_ROOT, f))
      .filter((f) => f !== 'src/lifecycle/document.ts' && readFileSync(join(REPO_ROOT, f), 'utf8').includes("'pulse-registry-model'"));
    expect(found).toEqual([]);
  });
});
