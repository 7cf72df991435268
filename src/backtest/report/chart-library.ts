/**
 * Loads TradingView's lightweight-charts standalone bundle (Apache-2.0) so the report can inline it: the HTML file
 * then opens offline and makes no request at all. The bundle is resolved through Node's module resolution from
 * this file, so it is found the same way from `src/` under vitest and from `dist/` in the built CLI.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ExitCode, InternalError, PulseError } from '../../core/errors.js';

/** The chart library's package name and the bundle that defines the `LightweightCharts` global. */
const PACKAGE = 'lightweight-charts';
const BUNDLE = join('dist', 'lightweight-charts.standalone.production.js');

/** The inlined library: its source, ready to sit inside a `<script>` element, and its version. */
export interface ChartLibrary {
  readonly source: string;
  readonly version: string;
}

let cached: ChartLibrary | undefined;

/**
 * Make a script's text safe inside an HTML `<script>` element: every `</script` becomes `<\/script`, which means
 * the same inside JavaScript strings, templates, regular expressions (with or without the `u` flag) and comments.
 * A script holding both `<!--` and `<script` cannot be inlined safely (the HTML parser would enter its
 * "double-escaped" state and miss the element's end), so it is refused rather than silently broken.
 *
 * @throws InternalError for a script with both `<!--` and `<script`.
 */
export function escapeInlineScript(source: string): string {
  if (source.includes('<!--') && /<script/i.test(source)) {
    throw new InternalError('a script for the report holds both "<!--" and "<script" and cannot be inlined safely');
  }
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/**
 * The lightweight-charts bundle (read once per process).
 * @throws PulseError (exit 1) when the package is missing, InternalError when its bundle is unreadable.
 */
export function loadChartLibrary(): ChartLibrary {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  let pkgJsonPath: string;
  try {
    pkgJsonPath = require.resolve(`${PACKAGE}/package.json`);
  } catch (err) {
    throw new PulseError(`cannot write the report: the chart library ${PACKAGE} is not installed next to pulse`, {
      exitCode: ExitCode.internal,
      hint: `reinstall pulse (npm install) so its dependency ${PACKAGE} is present`,
      cause: err,
    });
  }
  try {
    const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { version?: unknown };
    const source = readFileSync(join(dirname(pkgJsonPath), BUNDLE), 'utf8');
    if (!source.includes('LightweightCharts')) throw new Error(`${BUNDLE} does not define LightweightCharts`);
    cached = { source: escapeInlineScript(source), version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
    return cached;
  } catch (err) {
    if (err instanceof InternalError) throw err;
    throw new InternalError(`cannot read the chart library bundle ${PACKAGE}/${BUNDLE}: ${(err as Error).message}`, err);
  }
}
