/**
 * Job parameters read through a command's option table: a queued `train` job takes the parameters `pulse train`
 * takes as flags (`interval=1d`, `model=ridge`, `dead-zone=0.001`), checked by the same schemas, so every value is
 * declared and checked once. Values are stored as the text a flag would get, and read again when the job runs.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { longFlag, parseOptions, type OptionTable } from '../../core/option-schema.js';

/** Stored parameters: option texts (switches as booleans) and the positional list, if any. */
export type OptionParams = Record<string, string | boolean | string[]>;

/** A positional argument taken as a parameter: `symbols=ACME,MSFT` (a list) or `symbol=ACME` (one). */
export interface PositionalParam {
  name: string;
  list: boolean;
  /** Whether the job needs it (default true). */
  required?: boolean;
}

const camel = (key: string) => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const isSwitch = (flags: string) => !/[<[]/.test(flags);

/**
 * The zod schema of a job type whose parameters are `table`'s options plus an optional positional argument.
 * Keys are the flag names without dashes (`dead-zone`) or their camelCase (`deadZone`); numbers are taken as their
 * text; switches take true/false. The message of a refused value is the flag's own (`--interval "7x" is not ...`).
 */
export function optionParams(table: OptionTable, positional?: PositionalParam): z.ZodType<OptionParams> {
  const known = [...(positional ? [positional.name] : []), ...Object.values(table).map((s) => longFlag(s).slice(2))];
  return z.record(z.string(), z.unknown()).transform((raw, ctx) => {
    const out: OptionParams = {};
    const fail = (message: string, hint?: string) => {
      ctx.addIssue({ code: 'custom', message, params: { usage: true, hint } });
      return z.NEVER;
    };
    for (const [rawKey, value] of Object.entries(raw)) {
      const key = camel(rawKey);
      if (positional && key === positional.name) {
        const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : null;
        const list = items?.map((s) => s.trim().toUpperCase()).filter(Boolean);
        if (!list || list.length === 0 || (!positional.list && list.length > 1)) {
          return fail(`parameter ${positional.name} needs ${positional.list ? 'one or more symbols (a comma list)' : 'one symbol'}`);
        }
        out[key] = positional.list ? list : list[0];
        continue;
      }
      const spec = table[key];
      if (!spec) return fail(`unknown parameter "${rawKey}"`, `use: ${known.join(', ')}`);
      if (isSwitch(spec.flags)) {
        if (value !== true && value !== false && value !== 'true' && value !== 'false') return fail(`parameter ${rawKey} is a switch: give true or false`);
        out[key] = value === true || value === 'true';
      } else if (typeof value === 'string' || typeof value === 'number') {
        out[key] = String(value);
      } else {
        return fail(`parameter ${rawKey} needs a text or number value`);
      }
    }
    if (positional && positional.required !== false && out[positional.name] === undefined) return fail(`parameter ${positional.name} is required`, `e.g. --param ${positional.name}=ACME`);
    try {
      parseOptions(table, out);
    } catch (err) {
      if (err instanceof UsageError) return fail(err.message.replace(/^required option '([^']*)' not specified$/, (_, f: string) => `parameter ${/--([a-z0-9-]+)/.exec(f)?.[1] ?? f} is required`), err.hint);
      throw err;
    }
    return out;
  });
}

/** Split stored parameters into the positional value and the option texts `parseOptions` reads. */
export function splitParams<V>(params: OptionParams, positional: string): { value: V; options: Record<string, unknown> } {
  const { [positional]: value, ...options } = params;
  return { value: value as V, options };
}
