CREATE TABLE `model_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slot` text NOT NULL,
	`kind` text NOT NULL,
	`model_id` text NOT NULL,
	`previous_id` text,
	`reason` text NOT NULL,
	`details` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `model_events_slot_idx` ON `model_events` (`slot`,`created_at`);