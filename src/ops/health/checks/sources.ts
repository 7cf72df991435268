/** Sources: the last collect run of each, and each source's circuit breaker. */
import { highIsBad, result, type CheckResult, type HealthCheck } from '../check.js';

const HOUR = 3_600_000;

export const sourcesCheck: HealthCheck = {
  name: 'sources',
  description: 'each online source\'s circuit breaker and the age of its last successful collect',
  async run({ store, policy, now }) {
    const out: CheckResult[] = [];
    for (const s of await store.sources.list()) {
      const open = s.openUntil !== null && now < s.openUntil;
      const ageHours = s.lastSuccessAt === null ? Infinity : (now - s.lastSuccessAt) / HOUR;
      const metrics = { consecutiveFailures: s.consecutiveFailures, ...(Number.isFinite(ageHours) ? { lastSuccessAgeHours: ageHours } : {}) };
      if (open) {
        out.push(result('sources', 'warn', `${s.source}: circuit breaker open until ${new Date(s.openUntil!).toISOString()} after ${s.consecutiveFailures} failures (${s.lastError ?? 'no error recorded'})`, metrics, s.source));
      } else if (highIsBad(ageHours, policy.sourceWarnHours, Infinity) !== 'ok') {
        out.push(result('sources', 'warn', `${s.source}: no successful collect for ${Number.isFinite(ageHours) ? `${ageHours.toFixed(0)} h` : 'ever'}${s.lastError ? ` (last error: ${s.lastError})` : ''}`, metrics, s.source));
      } else {
        out.push(result('sources', 'ok', `${s.source}: last success ${ageHours.toFixed(1)} h ago, breaker closed`, metrics, s.source));
      }
    }
    const runs = await store.runs.list(1);
    if (runs.length === 0) out.push(result('sources', 'ok', 'no collect has run yet', {}));
    else if (runs[0].status === 'failed') out.push(result('sources', 'warn', `the last collect (run ${runs[0].id}, ${runs[0].source}) failed: ${runs[0].error ?? 'no error recorded'}`, {}, `run ${runs[0].id}`));
    return out;
  },
};
