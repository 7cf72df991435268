/**
 * `pulse backtest run` and `pulse backtest ls` options, declared once: flag, help, and how each value is read.
 * backtestRequest (request.ts) turns the parsed options into a StoredBacktestRequest. This module stays light: the
 * command-line wiring imports it to declare the flags.
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { dateText, flagOption, intText, numberText, plainText, seedText, textOption, defineOptions, type ParsedOptions } from '../core/option-schema.js';
import { parseInterval } from '../core/interval.js';
import { parseParams } from '../models/params-text.js';
import { horizonRange } from '../lifecycle/targets.js';
import { backtestSettingsSchema, type BacktestSettings } from './settings.js';
import { parseSizing } from './sizing.js';

const DEFAULTS = backtestSettingsSchema.parse({});
const conf = <K extends keyof BacktestSettings>(key: K) => ({ key: `backtest.${key}`, value: DEFAULTS[key] });
/** A count of bars: a whole number from 1 to 10^9. */
function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000_000) throw new UsageError(`${flag} "${text}" is not valid`, 'use a whole number from 1 to 1000000000');
  return n;
}
/** A number in the backtest's wording: `--fee-bps "x" is not a number (give a number, e.g. --fee-bps 10)`. */
const num = (flag: string) => numberText(flag, `give a number, e.g. ${flag} 10`);

/** The options of `pulse backtest run` (attribute name -> spec). */
export const BACKTEST_RUN_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: textOption(parseInterval), required: true },
  model: { flags: '--model <id|active|family>', description: 'a model id, "active", or a family (lightgbm, ridge, ...) for a walk-forward retraining backtest', schema: plainText },
  strategy: { flags: '--strategy <name>', description: 'a rule strategy instead of a model: buy-and-hold, sma-cross, rsi-reversion, donchian-breakout', schema: plainText },
  from: { flags: '--from <date>', description: 'first bar of the backtest', schema: dateText('--from') },
  to: { flags: '--to <date>', description: 'end of the backtest (exclusive)', schema: dateText('--to') },
  walkForward: { flags: '--walk-forward', description: 'retrain every --retrain-every bars on the trailing window and predict only out of sample', schema: flagOption },
  retrainEvery: { flags: '--retrain-every <bars>', description: 'bars between retrainings in a walk-forward backtest', schema: textOption((t) => positiveInt(t, '--retrain-every')) },
  trainWindow: {
    flags: '--train-window <bars|expanding>',
    description: 'training window of a walk-forward backtest',
    schema: textOption((t): number | 'expanding' => (t === 'expanding' ? 'expanding' : positiveInt(t, '--train-window'))),
  },
  target: { flags: '--target <target>', description: 'walk-forward: return | direction | triple-barrier', schema: plainText, default: 'return' },
  horizon: { flags: '--horizon <bars>', description: 'walk-forward: label horizon', schema: intText('--horizon', horizonRange), default: '1' },
  set: { flags: '--set <name>', description: 'walk-forward: feature set', schema: plainText, default: 'default' },
  params: { flags: '--params <k=v,...>', description: 'walk-forward: model parameters', schema: textOption(parseParams) },
  feeBps: { flags: '--fee-bps <bps>', description: 'fee per side in basis points', schema: num('--fee-bps'), config: conf('feeBps') },
  slippageBps: { flags: '--slippage-bps <bps>', description: 'slippage per fill in basis points', schema: num('--slippage-bps'), config: conf('slippageBps') },
  slippageAtr: { flags: '--slippage-atr <k>', description: 'slippage as a fraction of ATR(14) instead of bps', schema: num('--slippage-atr') },
  longOnly: { flags: '--long-only', description: 'never short', schema: flagOption, config: { key: 'backtest.direction', value: DEFAULTS.direction } },
  longShort: { flags: '--long-short', description: 'go short on short signals', schema: flagOption },
  threshold: { flags: '--threshold <x>', description: 'signal threshold on the prediction', schema: num('--threshold') },
  quantile: { flags: '--quantile <q>', description: 'long the top / short the bottom q quantile of predictions (trailing)', schema: num('--quantile') },
  sizing: { flags: '--sizing <sizing>', description: 'fixed | fixed:F | vol-target:0.15', schema: textOption(parseSizing), config: conf('sizing') },
  stopLossAtr: { flags: '--stop-loss-atr <k>', description: 'stop-loss at k x ATR(14) from entry', schema: num('--stop-loss-atr') },
  takeProfitAtr: { flags: '--take-profit-atr <k>', description: 'take-profit at k x ATR(14) from entry', schema: num('--take-profit-atr') },
  capital: {
    flags: '--capital <amount>',
    description: 'starting capital',
    schema: textOption((text) => {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--capital "${text}" is not a number`, 'give a number, e.g. --capital 10');
      if (!backtestSettingsSchema.shape.capital.safeParse(n).success) throw new UsageError(`--capital ${text} is out of range`, 'give a positive amount, e.g. --capital 10000');
      return n;
    }),
    config: conf('capital'),
  },
  periodsPerYear: { flags: '--periods-per-year <n>', description: "annualisation (default from the interval and the instrument's calendar; required on the none calendar)", schema: num('--periods-per-year') },
  bootstrap: { flags: '--bootstrap <n>', description: 'random-signal baseline draws', schema: intText('--bootstrap', z.number().int().min(0)), config: conf('bootstrap') },
  seed: { flags: '--seed <n>', description: 'seed of the random baseline and walk-forward training (default: config seed)', schema: seedText },
  trades: { flags: '--trades <file>', description: 'write the trades as CSV', schema: plainText },
  equity: { flags: '--equity <file>', description: 'write the equity curve as CSV', schema: plainText },
  report: { flags: '--report <file>', description: 'write a self-contained HTML report', schema: plainText },
  assert: { flags: '--assert <expr>', description: 'CI gate, e.g. "sharpe >= 1 and maxDrawdownPct < 20" (drawdowns are positive depths): exit 4 when it fails', schema: plainText },
  junit: { flags: '--junit <file>', description: 'write the --assert clauses as JUnit XML', schema: plainText },
});

/** Parsed `pulse backtest run` options. */
export type BacktestRunOptions = ParsedOptions<typeof BACKTEST_RUN_OPTIONS>;

/** The options of `pulse backtest ls`. */
export const BACKTEST_LS_OPTIONS = defineOptions({
  symbol: { flags: '--symbol <symbol>', description: 'only this symbol', schema: textOption((t) => t.toUpperCase()) },
  limit: { flags: '--limit <n>', description: 'how many', schema: intText('--limit', z.number().int().min(1).max(100_000)), default: '20' },
});
