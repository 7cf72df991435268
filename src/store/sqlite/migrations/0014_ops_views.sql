-- Hand-written (drizzle-kit does not generate SQL-only views): views for operators, e.g.
--   sqlite3 data/pulse.db 'SELECT * FROM active_models_summary'
-- pulse itself does not read them. Times stay integer milliseconds, with an ISO-8601 UTC column beside the main one.
-- Each slot's active model with its predictions (and how many have an outcome).
CREATE VIEW IF NOT EXISTS `active_models_summary` AS
SELECT m.slot, m.id, m.family, m.version, m.status_changed_at AS active_since,
  strftime('%Y-%m-%dT%H:%M:%SZ', m.status_changed_at / 1000, 'unixepoch') AS active_since_utc,
  m.created_at, m.train_to, m.file_path,
  (SELECT count(*) FROM predictions p WHERE p.model_id = m.id) AS predictions,
  (SELECT count(*) FROM predictions p WHERE p.model_id = m.id AND p.outcome IS NOT NULL) AS predictions_with_outcome
FROM models m WHERE m.status = 'active';
--> statement-breakpoint
-- Shadow models with their slot's active model and their predictions (the promotion gate's evidence).
CREATE VIEW IF NOT EXISTS `shadow_models_summary` AS
SELECT m.slot, m.id, m.family, m.version, m.created_at,
  strftime('%Y-%m-%dT%H:%M:%SZ', m.created_at / 1000, 'unixepoch') AS created_utc,
  (SELECT a.id FROM models a WHERE a.slot = m.slot AND a.status = 'active') AS active_id,
  (SELECT count(*) FROM predictions p WHERE p.model_id = m.id) AS predictions,
  (SELECT count(*) FROM predictions p WHERE p.model_id = m.id AND p.outcome IS NOT NULL) AS predictions_with_outcome
FROM models m WHERE m.status = 'shadow';
--> statement-breakpoint
-- Drift rows of the last 30 days (by the clock of the query), newest first.
CREATE VIEW IF NOT EXISTS `recent_drift_events` AS
SELECT d.id, d.check_id, d.symbol, d.interval, d.model_id, d.type, d.feature, d.test, d.score, d.p_value,
  d.threshold, d.drifted, d.severity, d.trigger_retraining, d.detected_at,
  strftime('%Y-%m-%dT%H:%M:%SZ', d.detected_at / 1000, 'unixepoch') AS detected_utc
FROM drift_events d
WHERE d.detected_at >= (CAST(strftime('%s', 'now') AS INTEGER) - 30 * 86400) * 1000
ORDER BY d.detected_at DESC, d.id DESC;
--> statement-breakpoint
-- Each model's performance history (pulse evaluate --by), summed over its periods: outcomes, the outcome-weighted
-- hit rate and mean absolute error, the summed signal return, and the newest period's figures.
CREATE VIEW IF NOT EXISTS `model_performance_dashboard` AS
SELECT h.model_id, h.slot, h.symbol, h.interval, m.status,
  count(*) AS periods, sum(h.n) AS outcomes,
  min(h.period_start) AS first_period, max(h.period_end) AS last_period,
  strftime('%Y-%m-%dT%H:%M:%SZ', max(h.period_end) / 1000, 'unixepoch') AS last_period_utc,
  sum(h.hit_rate * h.n) / nullif(sum(CASE WHEN h.hit_rate IS NULL THEN 0 ELSE h.n END), 0) AS hit_rate,
  sum(h.mae * h.n) / nullif(sum(CASE WHEN h.mae IS NULL THEN 0 ELSE h.n END), 0) AS mae,
  sum(h.signal_return) AS signal_return,
  (SELECT l.sharpe FROM performance_history l WHERE l.model_id = h.model_id AND l.symbol = h.symbol ORDER BY l.period_end DESC LIMIT 1) AS last_sharpe,
  (SELECT l.ic FROM performance_history l WHERE l.model_id = h.model_id AND l.symbol = h.symbol ORDER BY l.period_end DESC LIMIT 1) AS last_ic
FROM performance_history h LEFT JOIN models m ON m.id = h.model_id
GROUP BY h.model_id, h.symbol;
