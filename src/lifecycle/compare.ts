/** Side-by-side comparison of two model versions: metrics (with differences), parameters, features, lineage. */
import type { ModelVersion } from '../registry/registry.js';

export interface MetricComparison {
  split: 'cv' | 'test';
  metric: string;
  a: number | null;
  b: number | null;
  /** b - a */
  diff: number | null;
  /** Which model is better on this metric (lower is better for errors and losses). */
  better: 'a' | 'b' | 'tie' | null;
}

export interface ModelComparison {
  a: ModelVersion;
  b: ModelVersion;
  sameSlot: boolean;
  metrics: MetricComparison[];
  params: { name: string; a: unknown; b: unknown }[];
  features: { onlyA: string[]; onlyB: string[]; shared: number };
}

const LOWER_IS_BETTER = new Set(['rmse', 'mae', 'logLoss', 'brier', 'mape']);
const SHOWN = ['rmse', 'mae', 'r2', 'directionalAccuracy', 'ic', 'logLoss', 'auc', 'accuracy', 'brier'];

function metricOf(m: ModelVersion, split: 'cv' | 'test', key: string): number | null {
  const doc = m.metrics as { cv?: { mean?: Record<string, unknown> }; test?: Record<string, unknown> | null };
  const v = split === 'cv' ? doc.cv?.mean?.[key] : doc.test?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function compareModels(a: ModelVersion, b: ModelVersion): ModelComparison {
  const metrics: MetricComparison[] = [];
  for (const split of ['cv', 'test'] as const) {
    for (const metric of SHOWN) {
      const va = metricOf(a, split, metric);
      const vb = metricOf(b, split, metric);
      if (va === null && vb === null) continue;
      const diff = va !== null && vb !== null ? vb - va : null;
      const better = diff === null ? null : diff === 0 ? 'tie' : (diff < 0) === LOWER_IS_BETTER.has(metric) ? 'b' : 'a';
      metrics.push({ split, metric, a: va, b: vb, diff, better });
    }
  }
  const names = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
  const params = names
    .filter((n) => JSON.stringify(a.params[n]) !== JSON.stringify(b.params[n]))
    .map((name) => ({ name, a: a.params[name] ?? null, b: b.params[name] ?? null }));
  const fa = new Set(a.featureNames);
  const fb = new Set(b.featureNames);
  return {
    a,
    b,
    sameSlot: a.slot === b.slot,
    metrics,
    params,
    features: { onlyA: a.featureNames.filter((f) => !fb.has(f)), onlyB: b.featureNames.filter((f) => !fa.has(f)), shared: a.featureNames.filter((f) => fb.has(f)).length },
  };
}
