CREATE TABLE `cycles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`status` text NOT NULL,
	`simulated` integer NOT NULL,
	`dry_run` integer NOT NULL,
	`steps` text NOT NULL,
	`pid` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cycles_started_idx` ON `cycles` (`started_at`);