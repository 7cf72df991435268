/**
 * The feature reference (docs/features.md), rendered from the registry and the default set so that it cannot
 * drift: a test compares the committed file with {@link renderFeatureDocs}.
 */
import { DEFAULT_FEATURE_SET, FEATURE_ENGINE_VERSION, listFeatures } from './feature-set.js';
import { builtinRegistry, type FeatureRegistry } from './registry.js';
import { FEATURE_GROUPS, type FeatureFamily } from './types.js';
import { REFERENCE_FAMILIES } from './context.js';
import { RECOMPUTE_EVERY } from './kernels/rolling.js';

function escape(text: string): string {
  return text.replaceAll('|', '\\|');
}

function paramText(f: FeatureFamily): string {
  if (f.params.length === 0) return '-';
  return f.params.map((p) => `${p.name} (${p.integer ? 'integer' : 'number'} ${p.min}..${p.max})`).join(', ');
}

/** Render docs/features.md (Markdown) from the registry and the default set. */
export function renderFeatureDocs(registry: FeatureRegistry = builtinRegistry): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  const defaults = listFeatures(DEFAULT_FEATURE_SET, { interval: '1h', registry });
  push(
    '# Features',
    '',
    '<!-- Generated from src/features (registry and default set) by renderFeatureDocs; test/features/docs.test.ts',
    '     fails when this file is stale. Regenerate: PULSE_UPDATE_DOCS=1 npx vitest run test/features/docs.test.ts -->',
    '',
    'pulse builds features from bar series as typed arrays (`Float64Array` in, `Float64Array` out), one column per',
    'feature, one row per bar. Conventions:',
    '',
    '- **Warm-up.** A feature with lookback L is NaN on rows 0..L-1 and defined from row L on: the lookback is the',
    '  number of earlier bars it needs. A series not longer than a set\'s largest lookback is refused with a',
    '  `DataError` saying how many bars are needed.',
    '- **Units.** Natural units: prices in price units, returns and distances as fractions (not percent),',
    '  oscillators on their usual scales (RSI 0-100, Williams %R -100..0). Conventions follow TA-Lib except where',
    '  a definition below says otherwise (ROC, TRIX and NATR are fractions; CMO uses plain sums).',
    '- **Degenerate windows.** Zero range, zero variance or zero volume never give Infinity or NaN after the',
    '  warm-up: each definition names its neutral value (RSI 50, %B 0.5, CCI 0, ...). Constant windows are detected',
    '  exactly (integer counts), not by thresholds on running sums.',
    '- **No look-ahead.** Row t depends only on bars 0..t. Running sums are recomputed from scratch every',
    `  ${RECOMPUTE_EVERY} rows on a fixed schedule of absolute row indices, so values are bit-identical whatever`,
    '  follows. `checkNoLookahead` verifies this for any set (training runs it) and names offending features.',
    '- **Speed.** Every feature is a single O(n) pass (running sums, Wilder/EMA recursions, monotonic deques for',
    '  rolling extremes), except `cci_N`, whose mean absolute deviation around the current mean is recomputed',
    '  exactly by a tight O(N) loop per row (O(n N) total, no allocation).',
    '',
    '## Feature sets',
    '',
    'A feature set is a named, versioned JSON spec (validated by `parseFeatureSetSpec`, which names every bad field):',
    '',
    '```json',
    '{',
    '  "name": "swing", "version": 3, "description": "hourly bars with daily context",',
    '  "features": ["rsi_14", "bb_pctb_20_2", "logret_1"],',
    '  "grids": [{ "families": ["roc", "vol"], "windows": [5, 20, 60] }],',
    '  "timeframes": [{ "interval": "1d", "features": ["rsi_14", "natr_14"] }],',
    '  "references": [{ "name": "spy", "features": ["corr_60", "beta_60", "relstr_20"] }],',
    '  "external": [{ "name": "sentiment", "maxAgeMs": 86400000 }]',
    '}',
    '```',
    '',
    '`grids` expand to every family at every window after `features`. The set\'s hash (`featureSetHash`) is the',
    `sha256 of the canonical JSON (sorted keys) of the spec with expanded, canonical feature names and engine version`,
    `${FEATURE_ENGINE_VERSION}; the description does not count. The hash and the column names travel with every model.`,
    '',
    `## The default set (${defaults.length} features on intraday bars, ${defaults.length - 2} on daily and coarser)`,
    '',
  );
  for (const group of FEATURE_GROUPS) {
    const rows = defaults.filter((f) => f.group === group);
    if (rows.length === 0) continue;
    push(`### ${group} (${rows.length})`, '', '| feature | definition | lookback |', '|---|---|---|');
    for (const f of rows) push(`| \`${f.name}\` | ${escape(f.definition)} | ${f.lookback} |`);
    push('');
  }
  push(
    '## Feature families',
    '',
    'A feature name is a family prefix followed by its parameters joined with `_` (`bb_upper_20_2`).',
    '',
    '| prefix | group | parameters | inputs |',
    '|---|---|---|---|',
  );
  for (const f of registry.families()) {
    push(`| \`${f.prefix}\` | ${f.group}${f.intradayOnly ? ' (intraday only)' : ''} | ${paramText(f)} | ${f.inputs.join(', ')} |`);
  }
  push(
    '',
    '## Context features',
    '',
    'A feature row describes the world at the close of its bar (open time + interval). Context is joined as-of,',
    'never forward:',
    '',
    '- **Timeframes** (`tf_<interval>_<feature>`, e.g. `tf_1d_rsi_14`): any feature above computed on coarser bars',
    '  of the same symbol. A coarse bar opening at T with length L is usable from the first fine bar whose close',
    '  time is >= T + L (calendar-exact for months), so only closed coarse bars are used.',
    '- **References** (`ref_<name>_<feature>`): against another symbol\'s bars, aligned by close time:',
    '',
    '| feature | definition | lookback |',
    '|---|---|---|',
  );
  for (const [name, fam] of Object.entries(REFERENCE_FAMILIES)) {
    push(`| \`ref_<name>_${name}_N\` | ${escape(fam.describe('N', '<name>'))} | N |`);
  }
  push(
    '',
    '- **External series** (`ext_<name>`): `{time, value}` points; a point stamped at s is usable from the first bar',
    '  whose close time is >= s. `maxAgeMs` turns stale values into NaN.',
    '',
    '## Labels',
    '',
    'Labels are the only forward-looking columns. A row whose label is not yet known is NaN (excluded from',
    'training, kept for prediction).',
    '',
    '| label | definition |',
    '|---|---|',
    '| `fwdret_H` | forward log return ln(C_(t+H)/C_t) |',
    '| `dir_H_DZ` | direction of the forward log return: 1 above DZ, -1 below -DZ, 0 inside the dead zone |',
    '| `dirbin_H_DZ` | binary direction: 1 above DZ, 0 below -DZ, NaN inside the dead zone |',
    '| `tb_H_PT_SL_VW` | triple barrier on the close path: +1 if the log return first reaches PT x vol, -1 if it first reaches -SL x vol within H bars, else 0; vol = sample sd of the last VW one-bar log returns at t |',
    '',
  );
  return lines.join('\n');
}
