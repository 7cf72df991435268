/**
 * `GET /metrics` of `pulse serve`: the home's state in Prometheus' text exposition format, built with prom-client on
 * a fresh registry per scrape (nothing is cached between scrapes, so two scrapes never share half-updated gauges).
 * Everything is read from the store through its repositories and the domain's queries.
 */
import { Gauge, Registry } from 'prom-client';
import { seriesFreshness } from '../../market/inventory.js';
import type { Store } from '../../store/store.js';
import type { CheckResult, HealthState } from '../health/check.js';
import { STATE_RANK } from '../health/check.js';
import { registerHealthGauges } from '../health/prometheus.js';

const seconds = (ms: number) => ms / 1000;

/** The exposition text of the home's state at `now` (ms). */
export async function metricsText(store: Store, now: number): Promise<string> {
  const started = performance.now();
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });

  const bars = gauge('pulse_series_bars', 'Bars stored per series.', ['symbol', 'interval']);
  const lastBar = gauge('pulse_series_last_bar_timestamp_seconds', 'Open time of the newest stored bar per series (Unix time).', ['symbol', 'interval']);
  const age = gauge('pulse_series_age_seconds', 'Time since the newest stored bar opened, per series.', ['symbol', 'interval']);
  const behind = gauge('pulse_series_behind_bars', 'Trading bars closed since the newest stored bar, by the series\' calendar (absent on the none calendar).', ['symbol', 'interval', 'calendar']);
  for (const s of await store.series.sizes()) bars.set({ symbol: s.symbol, interval: s.interval }, s.rows);
  for (const s of await seriesFreshness(store, now)) {
    const labels = { symbol: s.symbol, interval: s.interval };
    lastBar.set(labels, seconds(s.last));
    age.set(labels, seconds(now - s.last));
    if (s.behindBars !== null) behind.set({ ...labels, calendar: s.calendar }, s.behindBars);
  }

  const collectAt = gauge('pulse_source_last_collect_timestamp_seconds', 'Start of the newest collect run per source (Unix time).', ['source']);
  const collectOk = gauge('pulse_source_last_collect_ok', 'Whether the newest collect run per source succeeded (1; partial, failed or interrupted 0; running -1).', ['source']);
  for (const r of await store.runs.lastBySource()) {
    collectAt.set({ source: r.source }, seconds(r.startedAt));
    collectOk.set({ source: r.source }, r.status === 'running' ? -1 : r.status === 'ok' ? 1 : 0);
  }
  const breaker = gauge('pulse_source_breaker_open', 'Whether a source\'s circuit breaker is open (1) and the source skipped.', ['source']);
  const lastSuccess = gauge('pulse_source_last_success_timestamp_seconds', 'Newest successful request to an online source (Unix time).', ['source']);
  for (const h of await store.sources.list()) {
    breaker.set({ source: h.source }, h.openUntil !== null && now < h.openUntil ? 1 : 0);
    if (h.lastSuccessAt !== null) lastSuccess.set({ source: h.source }, seconds(h.lastSuccessAt));
  }

  const models = gauge('pulse_models', 'Registered models per status.', ['status']);
  for (const [status, n] of Object.entries(await store.models.countByStatus())) models.set({ status }, n);
  const predictions = await store.predictions.total();
  gauge('pulse_predictions', 'Stored predictions.').set(predictions.predictions);
  gauge('pulse_predictions_with_outcome', 'Stored predictions whose outcome is known.').set(predictions.withOutcome);

  const driftScore = gauge('pulse_drift_share', 'Share of drifted features in the newest drift check per series.', ['symbol', 'interval']);
  const drifted = gauge('pulse_drift_detected', 'Whether the newest drift check per series found dataset drift (1).', ['symbol', 'interval']);
  const driftAt = gauge('pulse_drift_checked_timestamp_seconds', 'Time of the newest drift check per series (Unix time).', ['symbol', 'interval']);
  for (const d of await store.drift.latestPerSeries('dataset')) {
    const labels = { symbol: d.symbol, interval: d.interval };
    driftScore.set(labels, d.score);
    drifted.set(labels, d.drifted ? 1 : 0);
    driftAt.set(labels, seconds(d.detectedAt));
  }

  const jobs = gauge('pulse_jobs', 'Training jobs per status.', ['status']);
  for (const [status, n] of Object.entries(await store.jobs.countByStatus())) jobs.set({ status }, n);

  const [run] = await store.health.list(1);
  const stored = run && storedResults(run.results);
  if (run && stored && isState(run.status)) registerHealthGauges(registry, { status: run.status, checkedAt: run.createdAt, durationMs: run.durationMs, results: stored });

  const [backup] = await store.backups.list();
  if (backup) {
    gauge('pulse_backup_last_timestamp_seconds', 'When the newest backup was taken (Unix time).').set(seconds(backup.createdAt));
    gauge('pulse_backup_age_seconds', 'Age of the newest backup.').set(seconds(now - backup.createdAt));
  }
  gauge('pulse_scrape_duration_seconds', 'How long reading the store for this scrape took.').set((performance.now() - started) / 1000);
  return registry.metrics();
}

function isState(s: string): s is HealthState {
  return s in STATE_RANK;
}

/** The results of a stored health run, or undefined when the stored document is not a list of results. */
function storedResults(results: unknown): CheckResult[] | undefined {
  if (!Array.isArray(results)) return undefined;
  const ok = results.every((r: Partial<CheckResult> | null) => r !== null && typeof r === 'object' && typeof r.check === 'string' && typeof r.state === 'string' && isState(r.state) && typeof r.metrics === 'object');
  return ok ? (results as CheckResult[]) : undefined;
}

/** The content type of the exposition format. */
export const METRICS_CONTENT_TYPE = new Registry().contentType;
