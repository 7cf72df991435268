/** `pulse collect`: options -> CollectRequest (src/market/collect-request.ts) -> collect() -> summary. */
import { ExitCode, ReportedError } from '../src/core/errors.js';
import { isIntraday } from '../src/core/interval.js';
import { parseOptions } from '../src/core/option-schema.js';
import { collect as runCollect, describeReasons, type CollectResult, type SymbolOutcome } from '../src/market/collect.js';
import { COLLECT_OPTIONS } from '../src/market/collect-options.js';
import { collectRequest } from '../src/market/collect-request.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, spinner, style, table } from './ui/output.js';
import { describeResample } from './ui/market.js';

export async function collect(ctx: Context, symbols: string[], raw: Record<string, unknown>): Promise<void> {
  const config = ctx.config();
  const request = collectRequest(symbols, parseOptions(COLLECT_OPTIONS, raw), { config, home: ctx.home, stdin: ctx.stdin });
  const sources = request.sources;
  const spin = await spinner(ctx, `collecting ${symbols.join(', ') || request.series || ''}${sources ? ` from ${sources.join(' > ')}` : ''}`);
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
