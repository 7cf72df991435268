CREATE TABLE `backtests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`model_id` text,
	`from_ts` integer NOT NULL,
	`to_ts` integer NOT NULL,
	`bars` integer NOT NULL,
	`seed` integer NOT NULL,
	`params` text NOT NULL,
	`stats` text NOT NULL,
	`return_pct` real NOT NULL,
	`sharpe` real,
	`max_drawdown_pct` real NOT NULL,
	`trades` integer NOT NULL,
	`report_path` text,
	`assert_passed` integer,
	`duration_ms` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backtests_symbol_idx` ON `backtests` (`symbol`,`created_at`);--> statement-breakpoint
CREATE INDEX `backtests_created_idx` ON `backtests` (`created_at`);