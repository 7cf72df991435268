CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`family` text NOT NULL,
	`mode` text NOT NULL,
	`symbols` text NOT NULL,
	`slot` text NOT NULL,
	`version` integer NOT NULL,
	`interval` text NOT NULL,
	`target` text NOT NULL,
	`horizon` integer NOT NULL,
	`params` text NOT NULL,
	`seed` integer NOT NULL,
	`feature_set` text NOT NULL,
	`feature_set_hash` text NOT NULL,
	`feature_names` text NOT NULL,
	`train_from` integer NOT NULL,
	`train_to` integer NOT NULL,
	`data_hash` text NOT NULL,
	`metrics` text NOT NULL,
	`status` text NOT NULL,
	`status_changed_at` integer NOT NULL,
	`parent_id` text,
	`job_id` integer,
	`created_at` integer NOT NULL,
	`train_duration_ms` integer NOT NULL,
	`engine_version` text NOT NULL,
	`file_path` text NOT NULL,
	`file_size` integer NOT NULL,
	`file_sha256` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_one_active_per_slot` ON `models` (`slot`) WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX `models_slot_version` ON `models` (`slot`,`version`);--> statement-breakpoint
CREATE INDEX `models_status_idx` ON `models` (`status`);--> statement-breakpoint
CREATE TABLE `predictions` (
	`model_id` text NOT NULL,
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`bar_ts` integer NOT NULL,
	`horizon` integer NOT NULL,
	`value` real NOT NULL,
	`intervals` text,
	`signal` text NOT NULL,
	`fallback` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`outcome` real,
	`outcome_at` integer,
	PRIMARY KEY(`model_id`, `bar_ts`)
);
--> statement-breakpoint
CREATE INDEX `predictions_symbol_idx` ON `predictions` (`symbol`,`interval`,`bar_ts`);--> statement-breakpoint
CREATE TABLE `training_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`request` text NOT NULL,
	`models_succeeded` integer DEFAULT 0 NOT NULL,
	`models_failed` integer DEFAULT 0 NOT NULL,
	`error` text,
	`pid` integer,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`duration_ms` integer
);
--> statement-breakpoint
CREATE INDEX `training_jobs_created_idx` ON `training_jobs` (`created_at`);