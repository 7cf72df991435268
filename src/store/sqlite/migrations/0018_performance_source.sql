DROP INDEX `performance_history_period_idx`;--> statement-breakpoint
ALTER TABLE `performance_history` ADD `source` text DEFAULT 'evaluate' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `performance_history_period_idx` ON `performance_history` (`model_id`,`symbol`,`period_start`,`period_end`,`source`);--> statement-breakpoint
-- Hand-written (drizzle-kit does not manage views): the dashboard view counts the months pulse maintain folded only
-- where no pulse evaluate row of the same model and symbol overlaps them, so no outcome is counted twice.
DROP VIEW IF EXISTS `model_performance_dashboard`;--> statement-breakpoint
CREATE VIEW IF NOT EXISTS `model_performance_dashboard` AS
WITH kept AS (
  SELECT * FROM performance_history p
  WHERE p.source = 'evaluate' OR NOT EXISTS (
    SELECT 1 FROM performance_history e
    WHERE e.source = 'evaluate' AND e.model_id = p.model_id AND e.symbol = p.symbol AND e.period_start < p.period_end AND e.period_end > p.period_start
  )
)
SELECT h.model_id, h.slot, h.symbol, h.interval, m.status,
  count(*) AS periods, sum(h.n) AS outcomes,
  min(h.period_start) AS first_period, max(h.period_end) AS last_period,
  strftime('%Y-%m-%dT%H:%M:%SZ', max(h.period_end) / 1000, 'unixepoch') AS last_period_utc,
  sum(h.hit_rate * h.n) / nullif(sum(CASE WHEN h.hit_rate IS NULL THEN 0 ELSE h.n END), 0) AS hit_rate,
  sum(h.mae * h.n) / nullif(sum(CASE WHEN h.mae IS NULL THEN 0 ELSE h.n END), 0) AS mae,
  sum(h.signal_return) AS signal_return,
  (SELECT l.sharpe FROM kept l WHERE l.model_id = h.model_id AND l.symbol = h.symbol ORDER BY l.period_end DESC LIMIT 1) AS last_sharpe,
  (SELECT l.ic FROM kept l WHERE l.model_id = h.model_id AND l.symbol = h.symbol ORDER BY l.period_end DESC LIMIT 1) AS last_ic
FROM kept h LEFT JOIN models m ON m.id = h.model_id
GROUP BY h.model_id, h.symbol;
