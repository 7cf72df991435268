/**
 * Commands only wire: a command module imports src (never another command, only the shared context, ui/ and
 * options/ helpers), reads no store repository (only the context opens the store), and every option table in src
 * stays free of command-line libraries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Repository-relative targets of the static and dynamic imports of `file` (bare specifiers as given). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => (s.startsWith('.') ? relative(REPO_ROOT, resolve(dirname(file), s)) : s));
}

const COMMANDS = join(REPO_ROOT, 'commands');
/** Modules every command may use: the context, renderers and the option declarations. */
const SHARED = /^commands\/(context\.js|ui\/|options\/)/;

describe('commands only wire', () => {
  const commandFiles = readdirSync(COMMANDS)
    .filter((f) => f.endsWith('.ts') && f !== 'program.ts' && f !== 'context.ts')
    .map((f) => join(COMMANDS, f));

  it('no command imports another command', () => {
    expect(commandFiles.length).toBeGreaterThan(8);
    const bad = commandFiles.flatMap((f) => importsOf(f).filter((t) => t.startsWith('commands/') && !SHARED.test(t)).map((t) => `${relative(REPO_ROOT, f)} -> ${t}`));
    expect(bad).toEqual([]);
  });

  it('only the context opens the store; commands read it through domain functions', () => {
    const bad = sourceFiles(COMMANDS)
      .filter((f) => !f.endsWith('context.ts'))
      .flatMap((f) => importsOf(f).filter((t) => t.startsWith('src/store/')).map((t) => `${relative(REPO_ROOT, f)} -> ${t}`));
    expect(bad).toEqual([]);
  });

  it('option tables and request builders in src know no command-line library', () => {
    const files = sourceFiles(join(REPO_ROOT, 'src')).filter((f) => /(options|request)\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const bad = files.flatMap((f) => importsOf(f).filter((t) => t === 'commander' || t.startsWith('commands/')).map((t) => `${relative(REPO_ROOT, f)} -> ${t}`));
    expect(bad).toEqual([]);
  });
});
