CREATE TABLE `ab_served` (
	`test_id` integer NOT NULL,
	`symbol` text NOT NULL,
	`bar_ts` integer NOT NULL,
	`arm` text NOT NULL,
	`model_id` text NOT NULL,
	`signal` text NOT NULL,
	`served_at` integer NOT NULL,
	PRIMARY KEY(`test_id`, `symbol`, `bar_ts`)
);
--> statement-breakpoint
CREATE TABLE `ab_tests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slot` text NOT NULL,
	`control` text NOT NULL,
	`challenger` text NOT NULL,
	`split` integer NOT NULL,
	`min_days` real NOT NULL,
	`min_n` integer NOT NULL,
	`seed` integer NOT NULL,
	`status` text NOT NULL,
	`winner` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`result` text
);
--> statement-breakpoint
CREATE INDEX `ab_tests_slot_idx` ON `ab_tests` (`slot`,`status`);