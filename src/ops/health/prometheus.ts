/**
 * A health report in Prometheus' text exposition format, for node_exporter's textfile collector: built with
 * prom-client on a registry of its own, and written atomically (a temporary file renamed over the target, as the
 * collector requires, so it never reads half a file).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Gauge, Registry } from 'prom-client';
import { STATE_RANK, type HealthState } from './check.js';
import type { HealthReport } from './health.js';

/** A state as the number `pulse_health_check_state` carries: 0 ok, 1 warn, 2 unknown, 3 critical. */
export function stateValue(state: HealthState): number {
  return STATE_RANK[state];
}

/** The exposition text of a report. */
export async function prometheusText(report: HealthReport): Promise<string> {
  const registry = new Registry();
  registerHealthGauges(registry, report);
  return registry.metrics();
}

/** A health report's gauges on `registry` (the textfile above, and the last stored run on `pulse serve`'s /metrics). */
export function registerHealthGauges(registry: Registry, report: Pick<HealthReport, 'status' | 'checkedAt' | 'durationMs' | 'results'>): void {
  const status = new Gauge({ name: 'pulse_health_status', help: 'Overall health: 0 ok, 1 warn, 2 unknown, 3 critical.', registers: [registry] });
  const check = new Gauge({ name: 'pulse_health_check_state', help: 'State of each health check result: 0 ok, 1 warn, 2 unknown, 3 critical.', labelNames: ['check', 'subject'], registers: [registry] });
  const metric = new Gauge({ name: 'pulse_health_check_value', help: 'Figures behind each health check result, by name (units in the name).', labelNames: ['check', 'subject', 'name'], registers: [registry] });
  const checkedAt = new Gauge({ name: 'pulse_health_checked_timestamp_seconds', help: 'When the checks ran (Unix time).', registers: [registry] });
  const duration = new Gauge({ name: 'pulse_health_duration_seconds', help: 'How long the checks took.', registers: [registry] });
  const inference = new Gauge({ name: 'pulse_model_inference_seconds', help: 'Median prediction time of each active or shadow model on the newest bars of its series: kind single (the newest row) or batch (the newest health.modelBatchRows rows).', labelNames: ['model', 'kind'], registers: [registry] });
  const memory = new Gauge({ name: 'pulse_model_memory_bytes', help: 'Memory each loaded active or shadow model keeps: retained heap and array-buffer bytes after a full garbage collection, against before it was loaded.', labelNames: ['model'], registers: [registry] });
  status.set(stateValue(report.status));
  checkedAt.set(report.checkedAt / 1000);
  duration.set(report.durationMs / 1000);
  for (const r of report.results) {
    const subject = r.subject ?? '';
    check.set({ check: r.check, subject }, stateValue(r.state));
    for (const [name, value] of Object.entries(r.metrics)) if (Number.isFinite(value)) metric.set({ check: r.check, subject, name }, value);
    if (r.check !== 'models' || r.subject === null) continue;
    const { singleRowMs, batchMs, memoryBytes } = r.metrics;
    if (singleRowMs !== undefined) inference.set({ model: r.subject, kind: 'single' }, singleRowMs / 1000);
    if (batchMs !== undefined) inference.set({ model: r.subject, kind: 'batch' }, batchMs / 1000);
    if (memoryBytes !== undefined) memory.set({ model: r.subject }, memoryBytes);
  }
}

/** Write the report to `file` for the textfile collector, atomically. */
export async function writePrometheusFile(report: HealthReport, file: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, await prometheusText(report));
  renameSync(temp, file);
}
