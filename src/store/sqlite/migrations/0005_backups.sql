CREATE TABLE `backups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`path` text NOT NULL,
	`created_at` integer NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`encrypted` integer NOT NULL,
	`schema_version` integer NOT NULL,
	`pulse_version` text NOT NULL,
	`files` integer NOT NULL,
	`models` integer NOT NULL,
	`verified_at` integer,
	`pruned_at` integer
);
--> statement-breakpoint
CREATE INDEX `backups_created_idx` ON `backups` (`created_at`);