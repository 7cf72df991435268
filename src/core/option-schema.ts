/**
 * Command-line options declared once. Each command's options are an {@link OptionTable}: per option its flag, help
 * text and a zod schema that turns the text the parser hands over into a typed value. The command-line wiring
 * builds its declarations from the table (so help text is never written twice) and {@link parseOptions} validates
 * the values, so a command receives typed options or a one-line UsageError naming the flag.
 *
 * Option values are text; the builders below ({@link textOption}, {@link intText}, {@link numberText}, ...) read
 * the text and check it against a typed schema, often the very schema of the matching configuration setting, so a
 * range is stated once for the flag and for `pulse.config.json`. This module knows no command-line library.
 */
import { z } from 'zod';
import { UsageError } from './errors.js';
import { parseInterval } from './interval.js';
import { parseDateOption } from './time.js';
import { describeIssue, type SchemaIssue } from './zod-issues.js';

/** One command-line option. */
export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  /** The flag as declared, e.g. `-m, --model <family>` or `--long-only`. */
  flags: string;
  /** Help text. */
  description: string;
  /** Reads the value (text, or `true` for a switch) into its typed form. */
  schema: S;
  /** A fixed default (help shows it); settings with a configurable default name their key in `config` instead. */
  default?: string;
  /**
   * The configuration setting whose value applies when the flag is absent, e.g. `train.model`, and its built-in
   * default (undefined: none); help shows both.
   */
  config?: { key: string; value?: unknown };
  /** The values the flag accepts, checked by the parser before the schema (help lists them). */
  choices?: readonly string[];
  /** The flag must be given. */
  required?: boolean;
}

/** A command's options: the parser's attribute name (camelCase of the long flag) -> spec. */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** Whether an option always has a value: it is required, or has a fixed default. */
type AlwaysPresent<S> = S extends { required: true } ? true : S extends { default: string } ? true : false;

/** The typed options of a table: required options and those with a fixed default are always there; others may be absent. */
export type ParsedOptions<T extends OptionTable> = {
  [K in keyof T as AlwaysPresent<T[K]> extends true ? K : never]: z.output<T[K]['schema']>;
} & {
  [K in keyof T as AlwaysPresent<T[K]> extends true ? never : K]?: z.output<T[K]['schema']>;
};

/** A table with its literal types kept (so `required: true` and fixed defaults type their options as present). */
export function defineOptions<const T extends OptionTable>(table: T): T {
  return table;
}

/** One option shared by several tables, its literal types kept. */
export function defineOption<const S extends OptionSpec>(spec: S): S {
  return spec;
}

/** The long flag of an option, e.g. `--fee-bps` from `--fee-bps <bps>`. */
export function longFlag(spec: OptionSpec): string {
  const m = /--[a-z0-9-]+/.exec(spec.flags);
  return m ? m[0] : spec.flags;
}

/**
 * Validate raw option values (as the parser gives them) against a table. Unknown keys (global options, a
 * parser's own fields) are ignored; absent values take the option's fixed default, or stay absent.
 * @throws UsageError with the option's own wording, or describeIssue's naming the flag.
 */
export function parseOptions<T extends OptionTable>(table: T, raw: Readonly<Record<string, unknown>>): ParsedOptions<T> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const value = raw[key] ?? spec.default;
    if (value === undefined) {
      if (spec.required) throw new UsageError(`required option '${spec.flags}' not specified`);
      continue;
    }
    const result = spec.schema.safeParse(value, { reportInput: true });
    if (!result.success) throw usageError(result.error.issues[0], longFlag(spec));
    out[key] = result.data;
  }
  return out as ParsedOptions<T>;
}

/** One value (a positional argument) read by `schema`; throws like {@link parseOptions}, naming it `name`. */
export function parseValue<T>(schema: z.ZodType<T, string>, value: string, name: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw usageError(result.error.issues[0], name);
  return result.data;
}

/** A schema issue as a UsageError: an option's own wording (from {@link textOption}) or describeIssue's. */
export function usageError(issue: SchemaIssue, flag: string): UsageError {
  const params = issue.code === 'custom' ? (issue.params as { usage?: boolean; hint?: string } | undefined) : undefined;
  if (params?.usage) return new UsageError(issue.message, params.hint);
  return new UsageError(describeIssue(issue, { name: (path) => (path.length === 0 ? flag : `${flag} ${path.join('.')}`) }));
}

/**
 * An option read by `parse`, which throws a UsageError in the option's own wording; the error travels as a zod
 * issue so tables compose and {@link parseOptions} reports it unchanged.
 */
export function textOption<T>(parse: (text: string) => T): z.ZodType<T, string> {
  return z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, params: { usage: true, hint: err.hint }, input: text });
      return z.NEVER;
    }
  }) as unknown as z.ZodType<T, string>;
}

/** Bounds of a zod number schema (after `.default()`/`.optional()` wrappers). */
function bounds(range: z.ZodType): { min: number; max: number } {
  let s: unknown = range;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = (s as z.ZodDefault<z.ZodType>).unwrap();
  const n = s as z.ZodNumber;
  // `.int()` alone bounds a number to the safe integers: no bound to state.
  const unbounded = (v: number | null) => v === null || Math.abs(v) >= Number.MAX_SAFE_INTEGER;
  return { min: unbounded(n.minValue) ? -Infinity : (n.minValue as number), max: unbounded(n.maxValue) ? Infinity : (n.maxValue as number) };
}

/**
 * A whole number within the bounds of `range` (a zod integer schema, e.g. a setting's): `--folds "0" is not valid`
 * with the hint `use a whole number from 2 to 100` (or `hint` when given).
 */
export function intText(flag: string, range: z.ZodType, hint?: string): z.ZodType<number, string> {
  const { min, max } = bounds(range);
  return textOption((text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} "${text}" is not valid`, hint ?? (max === Infinity ? `use a whole number >= ${min}` : `use a whole number from ${min} to ${max}`));
    }
    return n;
  });
}

/** A finite number: `--fee-bps "x" is not a number` (ranges are the consumer's to check, in its own words). */
export function numberText(flag: string, hint?: string): z.ZodType<number, string> {
  return textOption((text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} "${text}" is not a number`, hint);
    return n;
  });
}

/** One of `values`, refused as `unknown <what> "x"` with the hint `use one of: a, b` (or `hint`). */
export function choiceText<V extends string>(values: readonly V[], what: string, hint?: string): z.ZodType<V, string> {
  return textOption((text) => {
    if (!(values as readonly string[]).includes(text)) throw new UsageError(`unknown ${what} "${text}"`, hint ?? `use one of: ${values.join(', ')}`);
    return text as V;
  });
}

/** A date (YYYY-MM-DD, ISO-8601 date-time or epoch), as ms since 1970 (see parseDateOption). */
export function dateText(flag: string): z.ZodType<number, string> {
  return textOption((text) => parseDateOption(text, flag));
}

/** A seed: an integer in [0, 2^32). */
export const seedText: z.ZodType<number, string> = textOption((text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UsageError(`--seed "${text}" is not valid`, 'use an integer between 0 and 4294967295');
  return n;
});

/** A comma list of symbols, upper-cased, blanks dropped: `spy, qqq` -> `["SPY", "QQQ"]`. */
export const symbolListText: z.ZodType<string[], string> = textOption((text) => text.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));

/** Largest count accepted by a `--limit`-style option unless it says otherwise. */
export const MAX_COUNT = 1_000_000_000;

/** A whole number from 1 to `max` (default {@link MAX_COUNT}): `--limit "0" is not valid`. */
export function countText(flag: string, max = MAX_COUNT): z.ZodType<number, string> {
  return intText(flag, z.number().int().min(1).max(max));
}

/** An interval name (see src/core/interval.ts). */
export const intervalText = textOption(parseInterval);

/** A symbol, upper-cased. */
export const symbolText: z.ZodType<string, string> = textOption((text) => text.toUpperCase());

/** A switch (`--pooled`): true when given. */
export const flagOption: z.ZodType<boolean, boolean> = z.boolean();

/** Free text passed through (a file name, a model id, an expression the consumer parses). */
export const plainText: z.ZodType<string, string> = z.string();

/** The help line of an option: its text, then the setting that holds its default (fixed defaults the parser shows). */
export function helpText(spec: OptionSpec): string {
  if (!spec.config) return spec.description;
  const { key, value } = spec.config;
  return `${spec.description} (${value === undefined ? '' : `default: ${JSON.stringify(value)}, `}config ${key})`;
}
