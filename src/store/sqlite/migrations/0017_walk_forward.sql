CREATE TABLE `walk_forward_windows` (
	`walk_forward` text NOT NULL,
	`window` integer NOT NULL,
	`study` text NOT NULL,
	`seed` integer NOT NULL,
	`in_sample_from` integer NOT NULL,
	`in_sample_to` integer NOT NULL,
	`in_sample_bars` integer NOT NULL,
	`out_of_sample_from` integer NOT NULL,
	`out_of_sample_to` integer NOT NULL,
	`out_of_sample_bars` integer NOT NULL,
	`best_trial` integer NOT NULL,
	`best_params` text NOT NULL,
	`in_sample_value` real NOT NULL,
	`out_of_sample_value` real,
	`out_of_sample_note` text,
	`finished_at` integer NOT NULL,
	PRIMARY KEY(`walk_forward`, `window`),
	FOREIGN KEY (`walk_forward`) REFERENCES `walk_forwards`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `walk_forwards` (
	`name` text PRIMARY KEY NOT NULL,
	`direction` text NOT NULL,
	`seed` integer NOT NULL,
	`windows` integer NOT NULL,
	`scheme` text NOT NULL,
	`settings` text NOT NULL,
	`data_to` integer NOT NULL,
	`created_at` integer NOT NULL
);
