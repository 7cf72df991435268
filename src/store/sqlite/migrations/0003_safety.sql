CREATE TABLE `source_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`symbol` text NOT NULL,
	`interval` text NOT NULL,
	`previous` text NOT NULL,
	`next` text NOT NULL,
	`run_id` integer,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `collect_runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `source_changes_series_idx` ON `source_changes` (`symbol`,`interval`,`changed_at`);--> statement-breakpoint
ALTER TABLE `instruments` ADD `calendar` text;--> statement-breakpoint
ALTER TABLE `series_versions` ADD `source` text;--> statement-breakpoint
ALTER TABLE `series_versions` ADD `synthetic` integer;--> statement-breakpoint
UPDATE `series_versions` SET `source` = (SELECT b.`source` FROM `bars` b WHERE b.`symbol` = `series_versions`.`symbol` AND b.`interval` = `series_versions`.`interval` AND b.`source` <> 'resample' ORDER BY b.`ts` DESC LIMIT 1);--> statement-breakpoint
UPDATE `series_versions` SET `synthetic` = (SELECT max(b.`source` = 'synthetic') FROM `bars` b WHERE b.`symbol` = `series_versions`.`symbol` AND b.`interval` = `series_versions`.`interval` AND b.`source` <> 'resample');--> statement-breakpoint
UPDATE `models` SET `file_path` = 'models/' || `id` || '.json' WHERE `file_path` LIKE '/%';
