/**
 * pulse's import graph, read from the TypeScript sources with the compiler's own pre-processor (every `import`,
 * `import type`, `export ... from` and dynamic `import()`), for the architecture test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import: the importing file, the specifier as written, and the imported file when it is one of pulse's. */
export interface ImportEdge {
  from: string;
  specifier: string;
  /** Repository-relative path of the imported source file; undefined for packages and node: modules. */
  to?: string;
}

/** Every .ts/.tsx file under `dirs` of `root`, as repository-relative paths with forward slashes. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(relative(root, path).split('\\').join('/'));
    }
  };
  for (const d of dirs) {
    try {
      walk(join(root, d));
    } catch {
      // a folder that does not exist has no imports
    }
  }
  return out;
}

/** The imports of the given files; relative `.js` specifiers resolve to their `.ts`/`.tsx` sources. */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      const specifier = ref.fileName;
      if (!specifier.startsWith('.')) {
        edges.push({ from: file, specifier });
        continue;
      }
      const base = relative(root, resolve(root, dirname(file), specifier)).split('\\').join('/').replace(/\.js$/, '');
      const to = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((c) => known.has(c));
      edges.push({ from: file, specifier, to: to ?? `${base}.ts` });
    }
  }
  return edges;
}

/** Strongly connected components with more than one member (Tarjan), each sorted; i.e. the import cycles. */
export function cycles(nodes: readonly string[], next: (node: string) => readonly string[]): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next(v).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of nodes) if (!indexOf.has(v)) visit(v);
  return out;
}
