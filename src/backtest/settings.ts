/**
 * The `backtest` section of pulse's configuration: the defaults of `pulse backtest` (a flag overrides them), with
 * their ranges and descriptions. The engine checks the same ranges in its own words (costs.ts, sizing.ts).
 */
import { z } from 'zod';
import { MAX_COST_BPS } from './costs.js';
import { parseSizing } from './sizing.js';

/** Whether `pulse backtest` may go short. */
export const DIRECTIONS = ['long-only', 'long-short'] as const;

/** A sizing text `parseSizing` accepts. */
function isSizingText(text: string): boolean {
  try {
    parseSizing(text);
    return true;
  } catch {
    return false;
  }
}

export const backtestSettingsSchema = z
  .object({
    feeBps: z.number().min(0).max(MAX_COST_BPS).default(10).describe('fee per side in basis points'),
    slippageBps: z.number().min(0).max(MAX_COST_BPS).default(5).describe('slippage per fill in basis points'),
    direction: z.enum(DIRECTIONS).default('long-only').describe('long-only, or long-short to go short on short signals'),
    sizing: z.string().refine(isSizingText, 'use fixed, fixed:0.5 or vol-target:0.15').default('fixed').describe('position sizing: fixed, fixed:F or vol-target:V'),
    capital: z.number().positive().max(1e15).default(10_000).describe('starting capital'),
    bootstrap: z.number().int().min(0).max(1_000_000).default(1000).describe('random-signal baseline draws (0: none)'),
  })
  .strict();

/** The `backtest` section. */
export type BacktestSettings = z.infer<typeof backtestSettingsSchema>;
