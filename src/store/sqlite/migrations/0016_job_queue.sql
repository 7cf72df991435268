CREATE TABLE `job_dependencies` (
	`job_id` integer NOT NULL,
	`depends_on` integer NOT NULL,
	PRIMARY KEY(`job_id`, `depends_on`)
);
--> statement-breakpoint
CREATE INDEX `job_dependencies_on_idx` ON `job_dependencies` (`depends_on`);--> statement-breakpoint
CREATE TABLE `job_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`at` integer NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `job_events_job_idx` ON `job_events` (`job_id`,`id`);--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `type` text DEFAULT 'train' NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `priority` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `max_attempts` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `attempts` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `timeout_ms` integer;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `backoff_ms` integer DEFAULT 30000 NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `seed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `run_after` integer;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `inline` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `result` text;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `worker_pid` integer;--> statement-breakpoint
CREATE INDEX `jobs_queue_idx` ON `training_jobs` (`status`,`priority`);