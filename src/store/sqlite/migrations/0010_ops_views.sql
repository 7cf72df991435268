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
