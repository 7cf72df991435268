CREATE TABLE `drift_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`check_id` text NOT NULL,
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`model_id` text,
	`type` text NOT NULL,
	`feature` text,
	`test` text,
	`score` real NOT NULL,
	`p_value` real,
	`threshold` real NOT NULL,
	`drifted` integer NOT NULL,
	`severity` text NOT NULL,
	`detected_at` integer NOT NULL,
	`trigger_retraining` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drift_events_series_idx` ON `drift_events` (`symbol`,`interval`,`detected_at`);--> statement-breakpoint
CREATE INDEX `drift_events_check_idx` ON `drift_events` (`check_id`);