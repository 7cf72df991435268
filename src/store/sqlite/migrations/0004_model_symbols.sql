CREATE TABLE `model_symbols` (
	`model_id` text NOT NULL,
	`symbol` text NOT NULL,
	PRIMARY KEY(`model_id`, `symbol`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `model_symbols_symbol_idx` ON `model_symbols` (`symbol`);--> statement-breakpoint
INSERT INTO `model_symbols` (`model_id`, `symbol`) SELECT m.`id`, j.`value` FROM `models` m, json_each(m.`symbols`) j;--> statement-breakpoint
ALTER TABLE `models` DROP COLUMN `symbols`;