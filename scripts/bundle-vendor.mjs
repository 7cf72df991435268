// After tsc: bundle the dependencies every command loads (zod, drizzle-orm) into a few files under dist/vendor/, and
// point the compiled imports at them. Unbundled, they are about 200 modules that Node resolves, reads and links one
// by one on each start (about 40 ms of a 0.3 s `pulse predict`); bundled, a handful. The source and the tests keep
// importing the packages by name; only dist/ changes. An import of a subpath not listed here fails the build, so a
// new one is added here instead of loading a second copy of the package.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const DIST = 'dist';
const OUT = join(DIST, 'vendor');
/** Package specifier -> the file under dist/vendor that re-exports it. */
const ENTRIES = {
  zod: 'zod.js',
  'drizzle-orm': 'drizzle-orm.js',
  'drizzle-orm/sqlite-core': 'drizzle-orm-sqlite-core.js',
  'drizzle-orm/better-sqlite3': 'drizzle-orm-better-sqlite3.js',
};
const PACKAGES = ['zod', 'drizzle-orm'];

rmSync(OUT, { recursive: true, force: true });
await build({
  // one entry per specifier, sharing chunks, so each package's classes exist once (instanceof and drizzle's entity
  // checks hold across entries)
  entryPoints: Object.entries(ENTRIES).map(([spec, file]) => ({ in: `vendor-entry:${spec}`, out: file.replace(/\.js$/, '') })),
  plugins: [{
    name: 'vendor-entry',
    setup(b) {
      b.onResolve({ filter: /^vendor-entry:/ }, (args) => ({ path: args.path.slice('vendor-entry:'.length), namespace: 'vendor-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (args) => ({ contents: `export * from '${args.path}';`, resolveDir: process.cwd(), loader: 'js' }));
    },
  }],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: OUT,
  chunkNames: 'chunk-[hash]',
  external: ['better-sqlite3'],
  logLevel: 'warning',
});

const specifier = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)(['"])((?:${PACKAGES.join('|')})(?:/[^'"]*)?)\\2`, 'g');
let rewritten = 0;
for (const file of jsFiles(DIST)) {
  if (file.startsWith(OUT)) continue;
  const text = readFileSync(file, 'utf8');
  const out = text.replace(specifier, (_, lead, quote, spec) => {
    const target = ENTRIES[spec];
    if (!target) throw new Error(`${file} imports '${spec}', which scripts/bundle-vendor.mjs does not bundle: add it to ENTRIES`);
    let path = relative(dirname(file), join(OUT, target)).split('\\').join('/');
    if (!path.startsWith('.')) path = `./${path}`;
    return `${lead}${quote}${path}${quote}`;
  });
  if (out !== text) {
    writeFileSync(file, out);
    rewritten++;
  }
}
if (rewritten === 0) throw new Error('scripts/bundle-vendor.mjs rewrote no imports: is dist/ built?');

function* jsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}
