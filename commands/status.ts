/** `pulse status`: the continuous-learning loop at a glance (the status document of src/pipeline/status.ts). */
import { parseOptions } from '../src/core/option-schema.js';
import { statusDocument, type StatusDocument } from '../src/pipeline/status.js';
import { STATUS_OPTIONS } from '../src/pipeline/status-options.js';
import type { Context } from './context.js';
import { emit, formatTime, table } from './ui/output.js';

export async function status(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  parseOptions(STATUS_OPTIONS, raw);
  const doc = await statusDocument({ store: await ctx.store(), clm: ctx.config().clm, now: ctx.now() });
  emit(ctx, doc, render);
}

function render(d: StatusDocument): string {
  const slots = [...new Set([...Object.keys(d.active), ...Object.keys(d.shadows)])].sort();
  const rows: (string | number)[][] = [
    ['loop', d.enabled ? 'enabled' : 'disabled (clm.enabled)'],
    ['last cycle', d.lastCycle ? `${d.lastCycle.status}, ${formatTime(d.lastCycle.startedAt)}, ${d.lastCycle.steps} steps${d.lastCycle.failed.length ? `; failed: ${d.lastCycle.failed.join('; ')}` : ''}` : '-'],
    ['last retraining', d.lastRetraining ? `job ${d.lastRetraining.jobId} ${d.lastRetraining.trigger} ${d.lastRetraining.status}, ${formatTime(d.lastRetraining.createdAt)}` : '-'],
    ['last drift check', d.lastDriftCheck ? `${d.lastDriftCheck.symbol} ${d.lastDriftCheck.interval}: ${d.lastDriftCheck.drifted ? 'drift' : 'no drift'} (${d.lastDriftCheck.severity}), ${formatTime(d.lastDriftCheck.detectedAt)}` : '-'],
    ['last performance check', d.lastPerformanceCheck ? `${d.lastPerformanceCheck.slot}, ${formatTime(d.lastPerformanceCheck.computedAt)}` : '-'],
    ['last model decision', d.lastModelDecision ? `${d.lastModelDecision.kind} ${d.lastModelDecision.modelId}, ${formatTime(d.lastModelDecision.createdAt)}` : '-'],
    ['jobs', `${d.jobs.pending} pending, ${d.jobs.running} running, ${d.jobs.failed} failed`],
    ['A/B tests', d.abTests.length ? d.abTests.map((t) => `#${t.id} ${t.slot}: ${t.challenger} (${t.split}%) vs ${t.control}`).join('; ') : 'none running'],
    ['gate', `shadowMin ${d.config.shadowMin}, alpha ${d.config.promoteAlpha}, min improvement ${d.config.minImprovementPct}%`],
  ];
  const models = slots.length === 0 ? 'no models registered (pulse train)' : table(['slot', 'active', 'shadows'], slots.map((s) => [s, d.active[s] ?? '-', (d.shadows[s] ?? []).join(', ') || '-']), ['l', 'l', 'l']);
  const width = Math.max(...rows.map(([k]) => String(k).length));
  return [...rows.map(([k, v]) => `${String(k).padEnd(width)}  ${v}`), '', models].join('\n');
}
