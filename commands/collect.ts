/** `pulse collect`: options -> CollectRequest -> collect() -> summary. */
import { readFileSync, statSync } from 'node:fs';
import { DataError, ExitCode, ReportedError, UsageError, toError } from '../src/core/errors.js';
import { parseDateOption } from '../src/core/time.js';
import { collect as runCollect, describeReasons, type CollectResult, type SymbolOutcome } from '../src/market/collect.js';
import { loadCalendar } from '../src/market/calendars/registry.js';
import { isIntraday, parseInterval, type Interval } from '../src/core/interval.js';
import { splitSources } from '../src/market/source-policy.js';
import { decodeCsvBytes } from '../src/market/sources/csv.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, spinner, style, table } from './ui/output.js';
import { parseSeed } from './ui/options.js';
import { describeResample } from './ui/market.js';

export interface CollectOptions {
  source?: string;
  interval?: string;
  from?: string;
  to?: string;
  file?: string;
  series?: string;
  timeColumn?: string;
  tz?: string;
  resample?: string;
  acceptOutliers?: boolean;
  align?: string;
  allowSourceChange?: boolean;
  seed?: string;
  calendar?: string;
}

export async function collect(ctx: Context, symbols: string[], opts: CollectOptions): Promise<void> {
  const config = ctx.config();
  const fileImport = opts.file !== undefined || opts.series !== undefined;
  const sourceList = opts.source ?? (fileImport ? 'csv' : undefined);
  const sources = sourceList === undefined ? undefined : splitSources(sourceList);
  const csv = sources?.includes('csv') ?? false;
  // A file holds bars of one spacing: without --interval it is inferred from the file.
  const interval = opts.interval !== undefined ? parseInterval(opts.interval) : csv ? undefined : config.collect.interval;
  const resample: Interval[] = opts.resample ? opts.resample.split(',').map((s) => parseInterval(s.trim())) : [];
  if (opts.tz !== undefined) checkTimeZone(opts.tz);
  if (opts.align !== undefined && opts.align !== 'floor' && opts.align !== 'none') {
    throw new UsageError(`--align "${opts.align}" is not valid`, 'use --align floor to snap off-grid timestamps to the bar that contains them');
  }
  // An unknown calendar name or a broken user calendar file is refused before anything is fetched.
  const calendar = opts.calendar === undefined ? undefined : loadCalendar(opts.calendar, { home: ctx.home }).name;
  const request = {
    symbols: symbols.map((s) => s.toUpperCase()),
    sources,
    interval,
    align: (opts.align ?? 'none') as 'none' | 'floor',
    allowSourceChange: opts.allowSourceChange ?? false,
    from: opts.from === undefined ? undefined : parseDateOption(opts.from, '--from'),
    to: opts.to === undefined ? undefined : parseDateOption(opts.to, '--to'),
    csv: opts.file === undefined ? undefined : opts.file === '-' ? ctx.stdin : openCsv(opts.file),
    series: opts.series,
    timeColumn: opts.timeColumn,
    tz: opts.tz,
    resample,
    acceptOutliers: opts.acceptOutliers ?? false,
    seed: opts.seed === undefined ? config.seed : parseSeed(opts.seed),
    calendar,
  };
  const spin = await spinner(ctx, `collecting ${symbols.join(', ') || opts.series || ''}${sources ? ` from ${sources.join(' > ')}` : ''}`);
  let result: CollectResult;
  try {
    result = await runCollect(request, {
      store: await ctx.store(),
      settings: config.collect,
      now: ctx.now,
      log: ctx.log,
      signal: ctx.signal,
      lock: ctx.lock,
    });
  } finally {
    spin.stop();
  }
  emit(ctx, result, (r) => renderCollect(ctx, r));
  if (result.status === 'interrupted') throw new ReportedError('collect interrupted', ExitCode.interrupted);
  // Bad data (nothing stored, or too much quarantined) outranks a source failure: both say the work was not done.
  const bad = result.symbols.filter((s) => s.status === 'rejected' || s.status === 'suspect');
  const failed = result.symbols.filter((s) => s.status === 'failed');
  const worst = bad.length > 0 ? bad : failed;
  if (worst.length > 0) {
    const others = result.symbols.length - worst.length;
    throw new ReportedError(
      worst.length === 1 && result.symbols.length === 1
        ? `${worst[0].symbol}: ${worst[0].error}`
        : `${worst.length} of ${result.symbols.length} symbols ${bad.length > 0 ? 'had bad data' : 'failed'}: ${worst.map((f) => `${f.symbol} (${f.error})`).join('; ')}`,
      bad.length > 0 ? ExitCode.data : ExitCode.internal,
      worst[0].hint ?? (others > 0 ? 'the other symbols were stored; run collect again later for the failed ones' : undefined),
    );
  }
}

/**
 * Read a CSV file whole (one read, no stream chunks to join: the fastest way into the parser), refusing what cannot
 * be read before the run starts.
 */
function openCsv(path: string): string {
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

function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new UsageError(`unknown time zone "${tz}"`, 'use an IANA name such as UTC, America/New_York or Europe/London');
  }
}

function renderCollect(ctx: Context, r: CollectResult): string {
  const st = style(ctx);
  const lines: string[] = [];
  if (r.series) {
    const s = r.series;
    lines.push(
      `series ${st.bold(s.name)}: ${formatCount(s.fetched)} points read, ${formatCount(s.inserted)} new, ${formatCount(s.updated)} revised, ${formatCount(s.unchanged)} unchanged, ${formatCount(s.quarantined)} quarantined`,
      `  range ${formatTime(s.first)} .. ${formatTime(s.last)}`,
    );
  }
  if (r.symbols.length > 0) {
    const dateOnly = r.interval !== null && !isIntraday(r.interval);
    lines.push(
      table(
        ['symbol', 'source', 'calendar', 'fetched', 'inserted', 'updated', 'unchanged', 'quarantined', 'gaps', 'first', 'last'],
        r.symbols.map((s) => [
          s.status === 'ok' ? s.symbol : s.status === 'suspect' ? st.yellow(s.symbol) : st.red(s.symbol),
          s.source,
          s.calendar,
          formatCount(s.fetched),
          formatCount(s.inserted),
          formatCount(s.updated),
          formatCount(s.unchanged),
          s.quarantined ? st.yellow(formatCount(s.quarantined)) : '0',
          s.gaps.length ? st.yellow(String(s.gaps.length)) : '0',
          formatTime(s.first, dateOnly),
          formatTime(s.last, dateOnly),
        ]),
        ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
      ),
    );
    for (const s of r.symbols) lines.push(...symbolDetails(ctx, s));
  }
  const t = r.totals;
  lines.push(
    `${r.status === 'ok' ? st.green('ok') : st.yellow(r.status)}: run #${r.runId}, ${r.interval ?? 'series'} from ${r.source}: fetched ${formatCount(t.fetched)}, inserted ${formatCount(t.inserted)}, updated ${formatCount(t.updated)}, unchanged ${formatCount(t.unchanged)}, quarantined ${formatCount(t.quarantined)}${quarantineSummary(r)}, gaps ${formatCount(t.gaps)} (${(r.durationMs / 1000).toFixed(2)} s)`,
  );
  return lines.join('\n');
}

/** The run's main quarantine reasons with counts: ` (misaligned_timestamp x100)`. */
function quarantineSummary(r: CollectResult): string {
  const reasons: Record<string, number> = {};
  for (const s of r.symbols) for (const [k, v] of Object.entries(s.quarantineReasons)) reasons[k] = (reasons[k] ?? 0) + v;
  return Object.keys(reasons).length > 0 ? ` (${describeReasons(reasons)})` : '';
}

function symbolDetails(ctx: Context, s: SymbolOutcome): string[] {
  const st = style(ctx);
  const out: string[] = [];
  if (s.error) out.push(`  ${st.red(s.symbol)}: ${s.error}`);
  if (s.sourceChangedFrom !== null) out.push(`  ${s.symbol}: source changed from ${s.sourceChangedFrom} to ${s.source} (recorded)`);
  if (s.snapped > 0) out.push(`  ${s.symbol}: ${formatCount(s.snapped)} timestamps snapped to the bar grid (--align floor)`);
  const reasons = Object.entries(s.quarantineReasons);
  if (reasons.length) out.push(`  ${s.symbol}: quarantined ${reasons.map(([k, v]) => `${k} x${v}`).join(', ')} (see \`pulse data quarantine --symbol ${s.symbol}\`)`);
  if (s.wasUnsorted) out.push(`  ${s.symbol}: input was not in time order; sorted`);
  const shown = s.gaps.slice(0, 3);
  for (const g of shown) out.push(`  ${s.symbol}: gap ${formatTime(g.from)} .. ${formatTime(g.to)} (${g.missingBars} bars missing)`);
  if (s.gaps.length > shown.length) out.push(`  ${s.symbol}: ... and ${s.gaps.length - shown.length} more gaps`);
  for (const rs of s.resampled) {
    out.push(`  ${s.symbol}: resampled to ${describeResample(rs)}`);
  }
  if (ctx.verbose) for (const n of s.notes) out.push(st.dim(`  ${s.symbol}: ${n}`));
  return out;
}
