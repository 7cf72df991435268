/**
 * The Nagios plugin form of a health report: one line `PULSE <STATUS> - <summary> | <perfdata>` and the plugin exit
 * codes 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios Plugin Development Guidelines). The summary names the most
 * severe results first; perfdata is `'label'=value[UOM];warn;crit` for the figures that have thresholds.
 */
import { STATE_RANK, type HealthPolicy, type HealthState } from './check.js';
import type { HealthReport } from './health.js';

const NAGIOS: Record<HealthState, { word: string; code: number }> = {
  ok: { word: 'OK', code: 0 },
  warn: { word: 'WARNING', code: 1 },
  critical: { word: 'CRITICAL', code: 2 },
  unknown: { word: 'UNKNOWN', code: 3 },
};

/** The plugin exit code of a status. */
export function nagiosExitCode(status: HealthState): number {
  return NAGIOS[status].code;
}

/** The plugin output line of a report. */
export function nagiosLine(report: HealthReport, policy: HealthPolicy): string {
  const bad = report.results.filter((r) => r.state !== 'ok').sort((a, b) => STATE_RANK[b.state] - STATE_RANK[a.state]);
  const summary =
    bad.length === 0
      ? `${report.results.length} checks ok`
      : `${bad.slice(0, 3).map((r) => r.message).join('; ')}${bad.length > 3 ? `; and ${bad.length - 3} more` : ''}`;
  const perf: string[] = [];
  for (const r of report.results) {
    const m = r.metrics;
    if (r.check === 'disk' && m.freeDiskPct !== undefined) perf.push(`'disk_free'=${m.freeDiskPct.toFixed(2)}%;${policy.diskWarnPct};${policy.diskCriticalPct};0;100`);
    if (r.check === 'store' && m.walBytes !== undefined) perf.push(`'store_wal'=${m.walBytes}B;${policy.walWarnBytes};;0`);
    if (r.check === 'backups' && m.backupAgeHours !== undefined) perf.push(`'backup_age'=${(m.backupAgeHours * 3600).toFixed(0)}s;${policy.backupWarnHours * 3600};${policy.backupCriticalHours * 3600};0`);
  }
  perf.push(`'critical'=${report.counts.critical};;;0`, `'warnings'=${report.counts.warn};;;0`, `'duration'=${(report.durationMs / 1000).toFixed(3)}s;;;0`);
  // `|` separates perfdata in the plugin format, so it may not appear in the text.
  return `PULSE ${NAGIOS[report.status].word} - ${summary.replaceAll('|', '/')} | ${perf.join(' ')}`;
}
