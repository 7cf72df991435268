CREATE TABLE `health_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL,
	`critical` integer NOT NULL,
	`warnings` integer NOT NULL,
	`unknown` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`results` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `health_runs_created_idx` ON `health_runs` (`created_at`);