CREATE TABLE `performance_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` text NOT NULL,
	`slot` text NOT NULL,
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`n` integer NOT NULL,
	`rmse` real,
	`mae` real,
	`log_loss` real,
	`directional_accuracy` real,
	`ic` real,
	`pearson_ic` real,
	`hit_rate` real,
	`hit_low` real,
	`hit_high` real,
	`signal_return` real,
	`sharpe` real,
	`profit_factor` real,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `performance_history_period_idx` ON `performance_history` (`model_id`,`symbol`,`period_start`,`period_end`);--> statement-breakpoint
CREATE INDEX `performance_history_slot_idx` ON `performance_history` (`slot`,`period_start`);