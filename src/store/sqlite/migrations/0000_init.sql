CREATE TABLE `bars` (
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`ts` integer NOT NULL,
	`open` real NOT NULL,
	`high` real NOT NULL,
	`low` real NOT NULL,
	`close` real NOT NULL,
	`volume` real NOT NULL,
	`adj_close` real,
	`source` text NOT NULL,
	`origin_interval` text,
	`ingested_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`symbol`, `interval`, `ts`)
);
--> statement-breakpoint
CREATE TABLE `collect_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`interval` text NOT NULL,
	`symbols` text NOT NULL,
	`status` text NOT NULL,
	`fetched` integer DEFAULT 0 NOT NULL,
	`inserted` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`quarantined` integer DEFAULT 0 NOT NULL,
	`gaps` integer DEFAULT 0 NOT NULL,
	`error` text,
	`details` text,
	`pid` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`duration_ms` integer
);
--> statement-breakpoint
CREATE INDEX `collect_runs_started_idx` ON `collect_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `external_series` (
	`name` text NOT NULL,
	`ts` integer NOT NULL,
	`value` real NOT NULL,
	`source` text NOT NULL,
	`ingested_at` integer NOT NULL,
	PRIMARY KEY(`name`, `ts`)
);
--> statement-breakpoint
CREATE TABLE `instruments` (
	`symbol` text PRIMARY KEY NOT NULL,
	`name` text,
	`currency` text,
	`exchange` text,
	`timezone` text,
	`kind` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quarantine` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer,
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`source` text NOT NULL,
	`ts` integer,
	`reason` text NOT NULL,
	`detail` text NOT NULL,
	`raw` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `collect_runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `quarantine_created_idx` ON `quarantine` (`created_at`);--> statement-breakpoint
CREATE INDEX `quarantine_symbol_idx` ON `quarantine` (`symbol`,`interval`,`ts`);--> statement-breakpoint
CREATE TABLE `series_versions` (
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`version` integer NOT NULL,
	`last_collected_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`symbol`, `interval`)
);
--> statement-breakpoint
CREATE TABLE `source_health` (
	`source` text PRIMARY KEY NOT NULL,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`total_failures` integer DEFAULT 0 NOT NULL,
	`total_successes` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_failure_at` integer,
	`last_success_at` integer,
	`open_until` integer,
	`updated_at` integer DEFAULT 0 NOT NULL
);
