/**
 * The dependency rules of docs/architecture.md, checked on the import graph of bin/, commands/ and src/ (every
 * import, type-only ones included):
 * - layers point one way: bin -> commands -> src/<domain> -> src/core, and inside src a folder imports only folders
 *   of lower layers (LAYERS below); two folders of one layer do not import each other;
 * - no import cycle between files;
 * - SQLite's driver and its query builder are imported only by the SQLite dialect (src/store/sqlite/);
 * - src/ never imports commander, ink or react, nor reads process.argv or calls process.exit;
 * - a command never imports another command, nor the store: commands/context.ts alone opens it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importEdges, sourceFiles, type ImportEdge } from './import-graph.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * src/ folders from the bottom up. A folder may import folders of strictly lower layers. Folders named here but
 * not present yet are the places docs/architecture.md reserves for coming work.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['evaluation', 'store', 'notify'],
  ['gbdt'],
  ['market'],
  ['features'],
  ['dataset'],
  ['models'],
  ['registry'],
  ['lifecycle'],
  ['train'],
  ['predict'],
  ['backtest'],
  ['monitor', 'optimize'],
  ['config'],
  ['ops'],
  ['pipeline'],
];

/** Packages only the SQLite dialect may import. */
const DIALECT_PACKAGES = /^(better-sqlite3|drizzle-orm)(\/|$)/;
/** Packages of the command-line surface, never imported by src/. */
const CLI_PACKAGES = /^(commander|ink|react)(\/|$)/;
/** Shared command-line plumbing that commands may import (everything else in commands/ is a command). */
const COMMAND_PLUMBING = /^commands\/(context\.ts|program\.ts|ui\/|options\/)/;

const files = sourceFiles(ROOT, ['bin', 'commands', 'src']);
const edges = importEdges(ROOT, files);
const layerOf = new Map(LAYERS.flatMap((folders, rank) => folders.map((f) => [f, rank] as const)));

/** `src/<folder>/...` -> folder; `commands/...` -> commands; `bin/...` -> bin. */
function area(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'src' ? parts[1] : parts[0];
}

const show = (e: ImportEdge) => `${e.from} imports ${e.to ?? e.specifier}`;

describe('architecture: dependencies point one way', () => {
  it('finds the sources and resolves every relative import to a file', () => {
    expect(files.length).toBeGreaterThan(100);
    const unresolved = edges.filter((e) => e.to !== undefined && !existsSync(join(ROOT, e.to)));
    expect(unresolved.map(show)).toEqual([]);
  });

  it('places every src/ folder in a layer', () => {
    const folders = [...new Set(files.filter((f) => f.startsWith('src/')).map(area))];
    expect(folders.filter((f) => !layerOf.has(f))).toEqual([]);
  });

  it('has src/ import only lower layers, commands only src/, bin only commands and src/core', () => {
    const upward = edges.filter((e) => {
      if (e.to === undefined) return false;
      const from = area(e.from);
      const to = area(e.to);
      if (e.from.startsWith('bin/')) return !(to === 'commands' || to === 'core' || to === 'bin');
      if (e.from.startsWith('commands/')) return to === 'bin';
      if (e.to.startsWith('commands/') || e.to.startsWith('bin/')) return true;
      if (from === to) return false;
      return !(layerOf.get(to)! < layerOf.get(from)!);
    });
    expect(upward.map(show)).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) if (e.to !== undefined) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    expect(cycles(files, (f) => next.get(f) ?? [])).toEqual([]);
  });

  it('keeps the SQL driver and query builder inside the SQLite dialect', () => {
    const leaks = edges.filter((e) => e.to === undefined && DIALECT_PACKAGES.test(e.specifier) && !e.from.startsWith('src/store/sqlite/'));
    expect(leaks.map(show)).toEqual([]);
  });

  it('keeps commander, ink and react out of src/', () => {
    const leaks = edges.filter((e) => e.to === undefined && CLI_PACKAGES.test(e.specifier) && e.from.startsWith('src/'));
    expect(leaks.map(show)).toEqual([]);
  });

  it('keeps process.argv and process.exit out of src/ (only bin/ ends the process)', () => {
    const found = files.filter((f) => f.startsWith('src/') && /process\.(argv|exit)\b/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('has commands import neither another command nor the store (only the context opens it)', () => {
    const wrong = edges.filter(
      (e) =>
        e.from.startsWith('commands/') && e.to !== undefined &&
        ((!COMMAND_PLUMBING.test(e.from) && e.to.startsWith('commands/') && !COMMAND_PLUMBING.test(e.to)) ||
          (e.from !== 'commands/context.ts' && e.to.startsWith('src/store/'))),
    );
    expect(wrong.map(show)).toEqual([]);
  });
});

describe('architecture: the checks can fail', () => {
  it('finds a cycle, and only a real one', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: ['e'] };
    expect(cycles(Object.keys(graph), (n) => graph[n])).toEqual([['a', 'b', 'c'], ['e']]);
    expect(cycles(['a', 'b'], (n) => (n === 'a' ? ['b'] : []))).toEqual([]);
  });
});
