/**
 * `pulse models explain`, `pulse models export`, `pulse models import`, `pulse models compress`: options -> one
 * domain call -> render.
 */
import { writeFileSync } from 'node:fs';
import { ConfigError, UsageError, toError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { compressModel, type CompressResult } from '../src/lifecycle/compress.js';
import { explainModel, type Explanation } from '../src/lifecycle/explain.js';
import { importRequest } from '../src/lifecycle/import-request.js';
import { exportModel } from '../src/lifecycle/export-model.js';
import { importModel, type ImportResult } from '../src/lifecycle/import-model.js';
import { MODELS_COMPRESS_OPTIONS, MODELS_EXPLAIN_OPTIONS, MODELS_EXPORT_OPTIONS, MODELS_IMPORT_OPTIONS } from '../src/lifecycle/options.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

const METHOD_LABEL: Record<Explanation['explained']['method'], string> = {
  treeshap: 'TreeSHAP',
  linear: 'linear (coefficient x standardised value)',
  stacked: 'stacked (meta weights x TreeSHAP of the GBDT member and linear contributions of the linear member)',
};

const num = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : '-');
const signed = (v: number) => (v >= 0 ? `+${num(v)}` : num(v));

/** `pulse models explain ID [--at DATE] [--top N]`. */
export async function modelsExplain(ctx: Context, id: string, raw: Record<string, unknown>): Promise<void> {
  const { at, top, symbol } = parseOptions(MODELS_EXPLAIN_OPTIONS, raw);
  const result = await explainModel(await ctx.store(), id, { at, top, symbol });
  emit(ctx, result, (r) => renderExplanation(ctx, r));
}

function renderExplanation(ctx: Context, r: Explanation): string {
  const st = style(ctx);
  const output = r.task === 'regression' ? 'forecast' : r.outputClass ? `P(class ${r.outputClass.value ?? r.outputClass.index})` : 'P(up)';
  const lines = [
    `${st.bold(r.modelId)} (${r.family}) on ${r.symbol} ${r.interval}, bar ${formatTime(r.barTime, true)}${r.requestedAt === null ? ' (newest)' : ''}`,
  ];
  if (r.note) lines.push(st.yellow(`  note: ${r.note}`));
  if (r.explained.member) lines.push(`  the ensemble predicts ${r.modelOutput.map(num).join(', ')}`);
  lines.push(
    `  ${METHOD_LABEL[r.explained.method]} contributions in raw ${r.task === 'regression' ? 'units' : 'log-odds'}`,
    `  prediction: raw ${num(r.prediction.raw)}, ${output} ${num(r.prediction.transformed)}`,
    `  base value ${num(r.baseValue)} + contributions = ${num(r.sum)}`,
    '',
    table(
      ['feature', 'value', 'contribution'],
      [
        ...r.contributions.map((c) => [c.feature, c.value === null ? 'missing' : num(c.value), signed(c.contribution)]),
        ...(r.rest.features > 0 ? [[`(${r.rest.features} others)`, '', signed(r.rest.contribution)]] : []),
      ],
      ['l', 'r', 'r'],
    )
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  return lines.join('\n');
}

/** `pulse models export ID --format pulse|lightgbm [--out FILE]`. */
export async function modelsExport(ctx: Context, id: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(MODELS_EXPORT_OPTIONS, raw);
  const exported = await exportModel(await ctx.store(), id, opts.format);
  if (opts.out === undefined) {
    if (ctx.json) throw new UsageError('--json and an export to stdout both write to stdout', 'pass --out FILE with --json');
    ctx.stdout.write(exported.text);
    return;
  }
  try {
    writeFileSync(opts.out, exported.text);
  } catch (err) {
    throw new ConfigError(`cannot write ${opts.out}: ${toError(err).message}`, 'choose a writable path for --out');
  }
  const { text, ...summary } = exported;
  emit(ctx, { ...summary, file: opts.out, bytes: Buffer.byteLength(text) }, (r) =>
    `exported ${r.modelId} (${r.family}) as ${r.format === 'pulse' ? 'the pulse registry document' : `LightGBM text, ${r.trees} trees`} to ${r.file} (${r.bytes} bytes)`);
}

/** `pulse models import FILE --format lightgbm|xgboost --symbol S --interval I --set NAME --target T [--horizon N] [--activate]`. */
export async function modelsImport(ctx: Context, file: string, raw: Record<string, unknown>): Promise<void> {
  const request = importRequest(file, parseOptions(MODELS_IMPORT_OPTIONS, raw), ctx.home);
  const result = await importModel(await ctx.store(), request, ctx.now());
  emit(ctx, result, (r) => renderImport(ctx, r));
}

function renderImport(ctx: Context, r: ImportResult): string {
  const st = style(ctx);
  const m = r.model;
  return [
    `${st.bold(m.id)} (${m.status}) imported from ${r.format === 'lightgbm' ? 'LightGBM text' : 'XGBoost JSON'}: ${m.family} on ${m.symbols.join('+')} ${m.interval}, target ${m.target} h=${m.horizon}`,
    `  objective ${r.objective}, ${r.trees} trees, ${r.numFeatures} features matched by ${r.featureCheck === 'names' ? 'name' : 'count (the file has no feature names)'} to set ${m.featureSet}`,
    `  predicted ${r.checkedRows} stored rows through the registry document; file sha256 ${r.fileSha256.slice(0, 16)}...`,
    `  stored as ${m.filePath}`,
  ].join('\n');
}

/** `pulse models compress ID --level conservative|moderate|aggressive`. */
export async function modelsCompress(ctx: Context, id: string, raw: Record<string, unknown>): Promise<void> {
  const { level } = parseOptions(MODELS_COMPRESS_OPTIONS, raw);
  const result = await compressModel(await ctx.store(), { id, level, now: ctx.now(), lock: ctx.lock, signal: ctx.signal });
  emit(ctx, result, (r) => renderCompression(ctx, r));
}

function renderCompression(ctx: Context, r: CompressResult): string {
  const st = style(ctx);
  const c = r.compressed;
  const ms = (v: number) => `${num(v)} ms`;
  const pct = (v: number) => `${v >= 1 ? '+' : ''}${num((v - 1) * 100)}%`;
  const rows = [
    ['file size', `${r.original.bytes} B`, `${c.bytes} B`, `x${num(r.ratios.bytes)}`],
    ['single-row latency', ms(r.original.singleRowMs), ms(c.singleRowMs), `x${num(r.ratios.singleRowMs)}`],
    ['batch latency', ms(r.original.batchMs), ms(c.batchMs), `x${num(r.ratios.batchMs)}`],
    [`test ${r.metric}`, num(r.original.loss), num(c.loss), pct(r.ratios.loss)],
  ];
  return [
    `${st.bold(c.id)} (${c.status}, parent ${c.parentId}): ${r.original.id} compressed at level ${r.level} (loss may rise <= ${num(r.tolerances.lossRise * 100)}%)`,
    `  scored on ${r.rows} test-tail rows; largest prediction difference ${num(r.maxAbsDiff)} (allowed ${num(r.budget.maxAbsDiff)}), ${r.metric} allowed up to ${num(r.budget.loss)}`,
    '',
    table(['', 'original', 'compressed', 'ratio'], rows, ['l', 'r', 'r', 'r']).split('\n').map((l) => `  ${l}`).join('\n'),
    '',
    `  steps: ${describeSteps(r.steps)}`,
    `  it reaches active only through \`pulse promote ${c.id}\``,
  ].join('\n');
}

function describeSteps(steps: Record<string, unknown>): string {
  const s = steps as {
    iterations?: { before: number; after: number; droppedTrailing: number; droppedInner: number };
    leaves?: { before: number; after: number; merged: number };
    thresholdDigits?: number | null;
    thresholdsRounded?: number;
    leafEncoding?: string;
    coefficients?: { before: number; after: number; pruned: number };
  };
  const parts: string[] = [];
  if (s.iterations) parts.push(`iterations ${s.iterations.before} -> ${s.iterations.after} (${s.iterations.droppedTrailing} trailing, ${s.iterations.droppedInner} inner dropped)`);
  if (s.leaves) parts.push(`leaves ${s.leaves.before} -> ${s.leaves.after} (${s.leaves.merged} merged)`);
  if (s.thresholdDigits !== undefined) parts.push(s.thresholdDigits === null ? 'thresholds kept' : `${s.thresholdsRounded ?? 0} thresholds rounded up to ${s.thresholdDigits} digits`);
  if (s.leafEncoding) parts.push(`leaves stored as ${s.leafEncoding}`);
  if (s.coefficients) parts.push(`nonzero coefficients ${s.coefficients.before} -> ${s.coefficients.after}`);
  return parts.join('; ') || 'none';
}
