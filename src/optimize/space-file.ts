/**
 * The `--space FILE` format: a JSON object from parameter name to range, e.g.
 *
 * ```json
 * { "num_leaves": { "type": "int", "low": 8, "high": 256, "log": true },
 *   "learning_rate": { "type": "float", "low": 0.01, "high": 0.3, "log": true },
 *   "feature_fraction": { "type": "float", "low": 0.5, "high": 1, "step": 0.1 },
 *   "max_bin": { "type": "categorical", "choices": [63, 127, 255] } }
 * ```
 *
 * Validated with zod; every problem becomes one line naming the parameter (`space file: learning_rate: a log
 * range needs low > 0 (got 0)`), thrown as a `UsageError` (exit 2).
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { describeIssues } from '../core/zod-issues.js';
import { categoricalDist, floatDist, intDist, type Distribution, type SearchSpace } from './space.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const RangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('float'), low: finite, high: finite, log: z.boolean().optional(), step: z.number().positive().optional() }).strict(),
  z.object({ type: z.literal('int'), low: z.number().int(), high: z.number().int(), log: z.boolean().optional(), step: z.number().int().min(1).optional() }).strict(),
  z.object({ type: z.literal('categorical'), choices: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1, 'needs at least one choice') }).strict(),
]);

const SpaceSchema = z.record(z.string(), RangeSchema).refine((o) => Object.keys(o).length > 0, 'the space has no parameters');

/** Options of {@link parseSpaceFile}. */
export interface ParseSpaceOptions {
  /** Accepts a parameter name (e.g. {@link gbdtAccepts} of the model's mode); unknown names are an error. */
  accepts?: (name: string) => boolean;
  /** Who accepts the names, for the error line (e.g. "lightgbm"). */
  family?: string;
  /** The file's name, for the error line. */
  source?: string;
}

/** Parse a space file's text into a search space. Throws `UsageError` with one line naming the problem. */
export function parseSpaceFile(text: string, options: ParseSpaceOptions = {}): SearchSpace {
  const where = options.source ?? 'space file';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = SpaceSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new UsageError(`${where}: ${describeIssues(parsed.error.issues)}`);
  const space: Record<string, Distribution> = {};
  for (const [name, r] of Object.entries(parsed.data)) {
    if (options.accepts && !options.accepts(name)) {
      throw new UsageError(`${where}: unknown parameter ${JSON.stringify(name)}${options.family ? ` for ${options.family}` : ''}`,
        'use the parameter names of the model family (docs/gbdt-parameters.md)');
    }
    try {
      space[name] = r.type === 'float' ? floatDist(r.low, r.high, { log: r.log, step: r.step })
        : r.type === 'int' ? intDist(r.low, r.high, { log: r.log, step: r.step })
        : categoricalDist(r.choices);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`${where}: ${name}: ${e.message}`, e.hint);
      throw e;
    }
  }
  return space;
}
