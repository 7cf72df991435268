/** `pulse models ls|show|compare|rm|activate`. */
import { parseOptions } from '../src/core/option-schema.js';
import { compareModels, type ModelComparison } from '../src/lifecycle/compare.js';
import { MODELS_LS_OPTIONS, MODELS_RM_OPTIONS } from '../src/lifecycle/options.js';
import { activateModel, getModel, modelSummaries, removeModel, underSlotLock } from '../src/registry/registry.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

const fmt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)) : '-');

export async function modelsLs(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(MODELS_LS_OPTIONS, raw);
  const models = await modelSummaries(await ctx.store(), { status: opts.status, symbol: opts.symbol });
  const st = style(ctx);
  emit(ctx, { models }, (r) =>
    r.models.length === 0
      ? 'no models yet (try `pulse train SYMBOL --interval 1d`)'
      : table(
          ['model', 'status', 'since', 'family', 'symbols', 'interval', 'target', 'set', 'test metric', 'naive', 'predictions', 'parent'],
          r.models.map((m) => [
            m.id,
            m.status === 'active' ? st.green(m.status) : m.status,
            formatTime(m.since),
            m.family,
            m.symbols.join('+'),
            m.interval,
            `${m.target} h=${m.horizon}`,
            m.featureSet,
            `${m.headline.metric} ${fmt(m.headline.test)}`,
            fmt(m.headline.naive),
            m.predictions,
            m.parentId,
          ]),
        ),
  );
}

export async function modelsShow(ctx: Context, id: string): Promise<void> {
  const m = await getModel(await ctx.store(), id);
  emit(ctx, m, (x) => {
    const doc = x.metrics as {
      task: string;
      cv?: { mean: Record<string, unknown> };
      baselineCv?: { mean: Record<string, unknown> };
      test?: Record<string, unknown> | null;
      baselineTest?: Record<string, unknown> | null;
      conformal?: { levels: { coverage: number; halfWidth: number; testCoverage: number }[] } | null;
      importance?: { feature: string; importance: number }[] | null;
      rows?: Record<string, number>;
      compression?: { level: string; parent: string; tolerances: { lossRise: number; predictionShift: number }; bytes: { original: number; compressed: number } };
    };
    const keys = doc.task === 'regression' ? ['rmse', 'mae', 'r2', 'directionalAccuracy', 'ic'] : ['logLoss', 'auc', 'accuracy', 'brier'];
    const row = (name: string, v: Record<string, unknown> | null | undefined) => [name, ...keys.map((k) => fmt(v?.[k]))];
    return [
      `${x.id}  ${x.status} since ${formatTime(x.statusChangedAt)}`,
      `  slot      ${x.slot}`,
      `  family    ${x.family} (${x.mode}), engine ${x.engineVersion}, seed ${x.seed}`,
      `  features  set "${x.featureSet}" (hash ${x.featureSetHash.slice(0, 12)}), ${x.featureNames.length} features`,
      `  data      ${formatTime(x.trainFrom)} .. ${formatTime(x.trainTo)}, hash ${x.dataHash.slice(0, 12)}${doc.rows ? `, ${doc.rows.labelled} labelled rows (${doc.rows.test} in the test tail)` : ''}`,
      `  lineage   parent ${x.parentId ?? '-'}, job ${x.jobId ?? '-'}${x.study ? `, study ${x.study}` : ''}, created ${formatTime(x.createdAt)}, trained in ${(x.trainDurationMs / 1000).toFixed(2)} s`,
      ...(doc.compression
        ? [`  compressed from ${doc.compression.parent} at level ${doc.compression.level} (loss +${fmt(doc.compression.tolerances.lossRise * 100)}% at most, predictions within ${fmt(doc.compression.tolerances.predictionShift)} sd), ${doc.compression.bytes.original} -> ${doc.compression.bytes.compressed} bytes`]
        : []),
      `  file      ${x.filePath} (${x.fileSize} bytes, sha256 ${x.fileSha256.slice(0, 16)}...)`,
      `  params    ${Object.entries(x.params).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      '',
      table(['', ...keys], [row('cv mean', doc.cv?.mean), row('cv naive', doc.baselineCv?.mean), row('test', doc.test), row('test naive', doc.baselineTest)], ['l', ...keys.map(() => 'r' as const)]),
      ...(doc.conformal ? ['', `intervals: ${doc.conformal.levels.map((l) => `${Math.round(l.coverage * 100)}% +-${fmt(l.halfWidth)} (test coverage ${fmt(l.testCoverage)})`).join(', ')}`] : []),
      ...(doc.importance?.length
        ? ['', 'top features by importance:', table(['feature', 'share'], doc.importance.slice(0, 15).map((f) => [f.feature, `${(f.importance * 100).toFixed(1)}%`]), ['l', 'r'])]
        : []),
    ].join('\n');
  });
}

export async function modelsCompare(ctx: Context, a: string, b: string): Promise<void> {
  const store = await ctx.store();
  const result = compareModels(await getModel(store, a), await getModel(store, b));
  emit(ctx, result, (r: ModelComparison) =>
    [
      `${r.a.id} (${r.a.status}) vs ${r.b.id} (${r.b.status})${r.sameSlot ? '' : ` - different slots: ${r.a.slot} / ${r.b.slot}`}`,
      '',
      table(['split', 'metric', r.a.id, r.b.id, 'b - a', 'better'], r.metrics.map((m) => [m.split, m.metric, fmt(m.a), fmt(m.b), fmt(m.diff), m.better === 'a' ? r.a.id : m.better === 'b' ? r.b.id : m.better]), ['l', 'l', 'r', 'r', 'r', 'l']),
      '',
      r.params.length ? table(['parameter', r.a.id, r.b.id], r.params.map((p) => [p.name, JSON.stringify(p.a), JSON.stringify(p.b)])) : 'same parameters',
      `features: ${r.features.shared} shared${r.features.onlyA.length ? `, only in ${r.a.id}: ${r.features.onlyA.join(', ')}` : ''}${r.features.onlyB.length ? `, only in ${r.b.id}: ${r.features.onlyB.join(', ')}` : ''}`,
    ].join('\n'),
  );
}

export async function modelsRm(ctx: Context, id: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(MODELS_RM_OPTIONS, raw);
  const store = await ctx.store();
  const removed = await underSlotLock(store, id, ctx.lock, () => removeModel(store, id, { force: opts.force }));
  emit(ctx, { removed: removed.id, status: removed.status, file: removed.filePath }, (r) => `removed ${r.removed} (${r.status}) and ${r.file}`);
}

export async function modelsActivate(ctx: Context, id: string): Promise<void> {
  const store = await ctx.store();
  const r = await underSlotLock(store, id, ctx.lock, () => activateModel(store, id, ctx.now()));
  emit(ctx, r, (x) => `${x.activated} is now active${x.retired ? `; ${x.retired} retired` : ''}`);
}
