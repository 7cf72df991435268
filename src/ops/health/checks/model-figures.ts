/** A timed model's figures, and how the models check judges and words them (models.ts, model-timing.ts). */
import { result, type CheckResult, type HealthPolicy, type HealthState } from '../check.js';

const MIB = 2 ** 20;

/** The figures of a timed model. */
export type Timed = Record<'singleRowMs' | 'batchMs' | 'batchRows' | 'timedAtMs', number> & { memoryBytes?: number };

/** The state and message of a model's figures against the thresholds. */
export function judged(head: string, metrics: Record<string, number>, note: string | null, policy: HealthPolicy, subject: string): CheckResult {
  const over: string[] = [];
  if (metrics.singleRowMs > policy.modelLatencyWarnMs) over.push(`single-row prediction above ${policy.modelLatencyWarnMs} ms`);
  if (metrics.batchMs > policy.modelBatchLatencyWarnMs) over.push(`batch prediction above ${policy.modelBatchLatencyWarnMs} ms`);
  if (metrics.memoryBytes !== undefined && metrics.memoryBytes > policy.modelMemoryWarnMiB * MIB) over.push(`memory above ${policy.modelMemoryWarnMiB} MiB`);
  const state: HealthState = over.length > 0 ? 'warn' : 'ok';
  const figures = `single row ${formatMs(metrics.singleRowMs)}, ${metrics.batchRows} rows ${formatMs(metrics.batchMs)}, ${memoryText(metrics)}`;
  return result('models', state, `${head}: ${figures}${note ? ` (${note})` : ''}${over.length > 0 ? `; ${over.join(', ')} (settings health.model*)` : ''}`, metrics, subject);
}

/** What a model holds in memory, in words. */
export function memoryText(metrics: Record<string, number>): string {
  return metrics.memoryBytes === undefined ? 'memory not measured' : `${(metrics.memoryBytes / MIB).toFixed(1)} MiB held`;
}

function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} us` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}
