/**
 * Which sources may feed a stored series. A series records the source list it is collected from; the rules keep a
 * run from silently mixing data of different origins into it:
 * - Without `--source`, a series is collected from its recorded source list; a new series from the configured
 *   `collect.source`. With neither there is no source: pulse has no built-in default (a default once wrote
 *   synthetic bars into a real series).
 * - Synthetic bars never go into a series that holds real bars, and real bars never go into a synthetic series,
 *   whatever the flags: such a request is refused.
 * - Any other source a stored series was not collected from needs `allowSourceChange`, and the change is
 *   recorded. Naming a subset of the recorded list (`yahoo` for a `yahoo,binance` series) is no change.
 * - Failover inside one run (`yahoo,binance`) stays allowed; each bar keeps the source that delivered it.
 */
import { UsageError } from '../core/errors.js';
import type { SeriesSource } from '../store/records.js';
import { SOURCE_NAMES } from './sources/registry.js';

/** The source that generates synthetic bars; every other source delivers real market data. */
export const SYNTHETIC_SOURCE = 'synthetic';

/** Every source name `--source` accepts. */
export const COLLECT_SOURCES: readonly string[] = [...SOURCE_NAMES, 'csv'];

/** The sources a collect uses for one series, and what to record about them. */
export interface SeriesSourcePlan {
  /** Source names in failover order. */
  sources: string[];
  /** Whether the bars will be synthetic. */
  synthetic: boolean;
  /** The source list to record for the series after the run. */
  record: string;
  /** The recorded list this run replaces (audited in `source_changes`), or null when nothing changes. */
  changedFrom: string | null;
}

/** What {@link planSeriesSources} decides from. */
export interface SeriesSourceInput {
  symbol: string;
  interval: string;
  /** `--source`, split; undefined when not given. */
  requested: readonly string[] | undefined;
  /** The `collect.source` setting, split; undefined when not set. */
  configured: readonly string[] | undefined;
  /** What the store records for the series, if it exists. */
  recorded: SeriesSource | undefined;
  allowSourceChange: boolean;
}

/** Split a source list (`yahoo, binance`) into names. */
export function splitSources(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Decide the sources of one series (see the module note).
 * @throws UsageError (exit 2) when no source is known, when synthetic and real data would mix, or when the
 * source would change without `allowSourceChange`.
 */
export function planSeriesSources(input: SeriesSourceInput): SeriesSourcePlan {
  const { symbol, interval, recorded } = input;
  const series = `${symbol} ${interval}`;
  const recordedList = recorded?.source ? splitSources(recorded.source) : undefined;
  const sources = [...(input.requested ?? recordedList ?? input.configured ?? [])];
  if (sources.length === 0) {
    throw new UsageError(
      `no source to collect ${series} from: it is a new series, and neither --source nor the collect.source setting names one`,
      `pass --source with one of: ${COLLECT_SOURCES.join(', ')} (a comma list fails over in order), or set collect.source in pulse.config.json`,
    );
  }
  if (input.requested === undefined && recordedList?.includes('csv')) {
    throw new UsageError(
      `${series} was imported from a CSV file, so there is no source to collect more of it from`,
      'pass --file PATH to import another file, or --source NAME --allow-source-change to continue it from an online source',
    );
  }
  const synthetic = sources.includes(SYNTHETIC_SOURCE);
  if (synthetic && sources.length > 1) {
    throw new UsageError(
      `--source ${sources.join(',')} mixes synthetic and real sources`,
      'synthetic bars never go into the same series as real ones: collect them with --source synthetic alone',
    );
  }
  if (recorded?.synthetic != null && recorded.synthetic !== synthetic) {
    const held = recorded.synthetic ? 'synthetic bars' : `real bars${recorded.source ? ` (from ${recorded.source})` : ''}`;
    throw new UsageError(
      `${series} holds ${held}; ${synthetic ? 'synthetic' : 'real'} bars never go into it`,
      synthetic
        ? `collect synthetic data under another symbol (e.g. ${symbol}-SIM) or in another home`
        : `collect the real data under another symbol, or remove the synthetic series first (pulse data rm ${symbol} --interval ${interval})`,
    );
  }
  if (!recordedList) return { sources, synthetic, record: sources.join(','), changedFrom: null };
  const added = sources.filter((s) => !recordedList.includes(s));
  if (added.length === 0) return { sources, synthetic, record: recordedList.join(','), changedFrom: null };
  if (!input.allowSourceChange) {
    throw new UsageError(
      `${series} is collected from ${recordedList.join(',')}; --source ${sources.join(',')} would add ${added.join(', ')}`,
      `pass --allow-source-change to change the series' source on purpose (the change is recorded), or collect from ${recordedList.join(',')}`,
    );
  }
  return { sources, synthetic, record: sources.join(','), changedFrom: recordedList.join(',') };
}
