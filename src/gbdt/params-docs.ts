/** The generated parameter reference (docs/gbdt-parameters.md), from `PARAMS` and the metric set. */
import { METRICS } from '../evaluation/metric/metrics.js';
import { METRIC_SPELLINGS, PARAMS, rangeText, spellingOf, type GbdtParams, type Value } from './params.js';

function fmt(v: Value | readonly string[] | undefined): string {
  if (v === undefined) return '—';
  if (Array.isArray(v)) return v.length === 0 ? '(objective default)' : v.join(',');
  return `\`${String(v)}\``;
}

/** The metrics section of the parameter docs, generated from the metric set so names and definitions stay true. */
function renderMetricDocs(): string[] {
  const lines = [
    '## Metrics',
    '',
    'The values `metric` accepts. Definitions live in src/evaluation/metric/ (one file per metric, registered in',
    '`METRICS` in src/evaluation/metric/metrics.ts); the training reports of `pulse train` compute their fields with',
    'the same functions, so an early-stopping value and a report value of the same metric agree. Shared edge cases',
    '(src/evaluation/metric/metric.ts): no rows, or NaN in the labels or predictions, give NaN; a NaN value never',
    'counts as an improvement for early stopping.',
    '',
    '| metric | also accepted as | tasks | better | definition |',
    '|---|---|---|---|---|',
  ];
  for (const m of Object.values(METRICS)) {
    const aliases = Object.keys(METRIC_SPELLINGS).filter((s) => METRIC_SPELLINGS[s] === m.name && s !== m.name);
    const also = aliases.length > 0 ? aliases.map((s) => `\`${s}\``).join(', ') : '—';
    lines.push(`| \`${m.name}\` | ${also} | ${m.tasks.join(', ')} | ${m.higherIsBetter ? 'higher' : 'lower'} | ${m.description.replaceAll('|', '\\|')} |`);
  }
  lines.push('');
  return lines;
}

/** Markdown reference of every parameter, generated from `PARAMS` (the content of docs/gbdt-parameters.md). */
export function renderParameterDocs(): string {
  const lines = [
    '# GBDT training parameters',
    '',
    '<!-- Generated from src/gbdt/params.ts by renderParameterDocs() (src/gbdt/params-docs.ts); test/gbdt/params.test.ts checks it is current. -->',
    '',
    'Modes: `lightgbm` (leaf-wise, LightGBM names), `xgboost` (depth-wise by default, XGBoost names), `rf`',
    '(random forest: bagging, no shrinkage, averaged trees; LightGBM names). Unknown names and out-of-range values',
    'are rejected with a message naming the parameter and its range. The model file stores canonical names.',
    '',
  ];
  for (const key of Object.keys(PARAMS) as (keyof GbdtParams)[]) {
    const spec = PARAMS[key];
    lines.push(`## ${key}`, '', spec.description, '', `Valid: ${rangeText(spec)}.`, '');
    lines.push('| mode | names | default |', '|---|---|---|');
    for (const mode of ['lightgbm', 'xgboost', 'rf'] as const) {
      const s = spellingOf(spec, mode);
      const names = s && s.names.length > 0 ? s.names.map((n) => `\`${n}\``).join(', ') : 'not accepted (fixed)';
      lines.push(`| ${mode} | ${names} | ${fmt(s ? s.default : spec.lightgbm?.default)} |`);
    }
    lines.push('');
  }
  lines.push(...renderMetricDocs());
  return lines.join('\n');
}
