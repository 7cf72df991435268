CREATE TABLE `studies` (
	`name` text PRIMARY KEY NOT NULL,
	`direction` text NOT NULL,
	`seed` integer NOT NULL,
	`sampler` text NOT NULL,
	`pruner` text NOT NULL,
	`space` text NOT NULL,
	`subject` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `trial_intermediate` (
	`study` text NOT NULL,
	`number` integer NOT NULL,
	`step` integer NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`study`, `number`, `step`)
);
--> statement-breakpoint
CREATE TABLE `trials` (
	`study` text NOT NULL,
	`number` integer NOT NULL,
	`state` text NOT NULL,
	`params` text NOT NULL,
	`value` real,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`fail_reason` text,
	`attrs` text NOT NULL,
	`owner_pid` integer,
	`owner_start_time` integer,
	PRIMARY KEY(`study`, `number`),
	FOREIGN KEY (`study`) REFERENCES `studies`(`name`) ON UPDATE no action ON DELETE cascade
);
