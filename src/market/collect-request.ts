/**
 * The CollectRequest of `pulse collect`: flags over the configuration (`collect.interval`, `seed`). Source names,
 * the calendar and the CSV file are checked here, before anything is fetched.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { DataError, toError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import { loadCalendar } from './calendars/registry.js';
import type { CollectRequest } from './collect.js';
import type { CollectOptions } from './collect-options.js';
import { splitSources } from './source-policy.js';
import { decodeCsvBytes } from './sources/csv.js';

/** What a collect request takes from its surroundings. */
export interface CollectEnvironment {
  config: { seed: number; collect: { interval: Interval } };
  home: string;
  /** Read for `--file -`. */
  stdin: Readable;
}

export function collectRequest(symbols: readonly string[], opts: CollectOptions, env: CollectEnvironment): CollectRequest {
  const fileImport = opts.file !== undefined || opts.series !== undefined;
  const sourceList = opts.source ?? (fileImport ? 'csv' : undefined);
  const sources = sourceList === undefined ? undefined : splitSources(sourceList);
  const csv = sources?.includes('csv') ?? false;
  // A file holds bars of one spacing: without --interval it is inferred from the file.
  const interval = opts.interval ?? (csv ? undefined : env.config.collect.interval);
  // An unknown calendar name or a broken user calendar file is refused before anything is fetched.
  const calendar = opts.calendar === undefined ? undefined : loadCalendar(opts.calendar, { home: env.home }).name;
  return {
    symbols: symbols.map((s) => s.toUpperCase()),
    sources,
    interval,
    align: opts.align ?? 'none',
    allowSourceChange: opts.allowSourceChange ?? false,
    from: opts.from,
    to: opts.to,
    csv: opts.file === undefined ? undefined : opts.file === '-' ? env.stdin : readCsvFile(opts.file),
    series: opts.series,
    timeColumn: opts.timeColumn,
    tz: opts.tz,
    resample: opts.resample ?? [],
    acceptOutliers: opts.acceptOutliers ?? false,
    seed: opts.seed ?? env.config.seed,
    calendar,
  };
}

/**
 * Read a CSV file whole (one read, no stream chunks to join: the fastest way into the parser), refusing what cannot
 * be read before the run starts.
 */
function readCsvFile(path: string): string {
  let info;
  try {
    info = statSync(path);
  } catch (err) {
    throw new DataError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : toError(err).message}`, 'check the path given to --file');
  }
  if (!info.isFile()) throw new DataError(`cannot read ${path}: not a regular file`, 'give --file a CSV file, or - for stdin');
  if (info.size === 0) throw new DataError(`${path} is empty`, 'export the data again; an empty file has no bars to import');
  try {
    return decodeCsvBytes(readFileSync(path));
  } catch (err) {
    throw new DataError(`cannot read ${path}: ${toError(err).message}`, 'check the path given to --file');
  }
}
