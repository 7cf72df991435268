/**
 * Ordered failover across bar sources with a circuit breaker per source (`--source yahoo,binance`).
 *
 * Each source is tried in order until one returns bars. A source is passed over when it does not serve the
 * interval natively or its breaker is open. Any `SourceError` (transient or permanent) moves on to the next
 * source — another provider may well know a symbol this one does not — and is recorded in the breaker per
 * the rules in `breaker.ts`. A request-level `UsageError` from a source (e.g. the range is beyond its history
 * limit) also moves on and leaves the breaker untouched: no request was made. An interrupt or any other
 * error (a bug) propagates at once, so failover never hides a defect.
 */
import { PulseError, SourceError, UsageError, InterruptedError } from '../../core/errors.js';
import type { BarSource, FetchRequest, FetchResult } from './source.js';
import {
  type BreakerOptions,
  type BreakerStore,
  breakerDecision,
  recordFailure,
  recordSuccess,
  resolveBreakerOptions,
} from './breaker.js';

/** What happened with one source during a failover run. */
export type FailoverAttempt =
  | { source: string; outcome: 'ok'; rows: number; probe: boolean }
  | { source: string; outcome: 'failed'; error: PulseError; transient: boolean; probe: boolean }
  | { source: string; outcome: 'skipped-open'; openUntil: number }
  | { source: string; outcome: 'skipped-interval' };

/** A successful failover run. */
export interface FailoverResult {
  result: FetchResult;
  /** Name of the source that delivered `result`. */
  sourceUsed: string;
  /** One entry per source considered, in order (the last is the success). */
  attempts: FailoverAttempt[];
}

/** Options of `fetchWithFailover`. */
export interface FailoverOptions {
  /** Clock in ms since epoch; default `Date.now`. */
  now?: () => number;
  breaker?: Partial<BreakerOptions>;
}

/** Every source failed or was skipped; `attempts` says why, source by source. */
export class FailoverError extends SourceError {
  readonly attempts: readonly FailoverAttempt[];
  constructor(message: string, attempts: readonly FailoverAttempt[], options: { transient: boolean; hint: string; cause?: unknown }) {
    super(message, options);
    this.attempts = attempts;
  }
}

/**
 * Fetch `request` from the first source that can serve it (see the module note). Returns the result, the
 * source used and every attempt. Throws a `FailoverError` (a `SourceError`, catchable per symbol) when all
 * sources fail or are cooling down; `transient` is true if any of them may recover (worth retrying later).
 * When no source was even tried because of a request problem (unsupported interval everywhere, or every
 * source refused the range with a `UsageError`), a `UsageError` is thrown instead.
 */
export async function fetchWithFailover(
  sources: readonly BarSource[],
  breakerStore: BreakerStore,
  request: FetchRequest,
  options: FailoverOptions = {},
): Promise<FailoverResult> {
  if (sources.length === 0) throw new UsageError('no data source given', 'pass --source, e.g. --source yahoo or --source yahoo,binance');
  const now = options.now ?? Date.now;
  const breaker = resolveBreakerOptions(options.breaker);
  const attempts: FailoverAttempt[] = [];
  const usageErrors: UsageError[] = [];

  for (const source of sources) {
    if (!source.intervals.includes(request.interval)) {
      attempts.push({ source: source.name, outcome: 'skipped-interval' });
      continue;
    }
    const decision = breakerDecision(await breakerStore.get(source.name), now());
    if (!decision.allowed) {
      attempts.push({ source: source.name, outcome: 'skipped-open', openUntil: decision.openUntil });
      continue;
    }
    try {
      const result = await source.fetch(request);
      await breakerStore.put(source.name, recordSuccess(await breakerStore.get(source.name), now()));
      attempts.push({ source: source.name, outcome: 'ok', rows: result.rows.length, probe: decision.probe });
      return { result, sourceUsed: source.name, attempts };
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      if (error instanceof SourceError) {
        await breakerStore.put(source.name, recordFailure(await breakerStore.get(source.name), { message: error.message, transient: error.transient }, now(), breaker));
        attempts.push({ source: source.name, outcome: 'failed', error, transient: error.transient, probe: decision.probe });
        continue;
      }
      if (error instanceof UsageError) {
        usageErrors.push(error);
        attempts.push({ source: source.name, outcome: 'failed', error, transient: false, probe: decision.probe });
        continue;
      }
      throw error;
    }
  }
  throw exhausted(request, attempts, usageErrors);
}

function exhausted(request: FetchRequest, attempts: FailoverAttempt[], usageErrors: UsageError[]): PulseError {
  const what = `${request.symbol} ${request.interval}`;
  if (attempts.every((a) => a.outcome === 'skipped-interval')) {
    return new UsageError(
      `no source given serves ${request.interval} bars natively (${attempts.map((a) => a.source).join(', ')})`,
      request.interval === '4h' ? 'collect 1h bars and resample them to 4h' : 'choose another interval or add a source that serves it',
    );
  }
  const tried = attempts.filter((a) => a.outcome === 'failed');
  if (tried.length > 0 && tried.length === usageErrors.length && !attempts.some((a) => a.outcome === 'skipped-open')) {
    return usageErrors[0];
  }
  const parts = attempts.map(describeAttempt);
  const transient = attempts.some((a) => a.outcome === 'skipped-open' || (a.outcome === 'failed' && a.transient));
  const hint = transient
    ? 'a source is down or rate-limited; run collect again later (open breakers close after their cool-down)'
    : 'check the symbol and range, or add another source with --source';
  return new FailoverError(`no source delivered ${what}: ${parts.join('; ')}`, attempts, {
    transient,
    hint,
    cause: tried.length > 0 ? (tried[tried.length - 1] as { error: PulseError }).error : undefined,
  });
}

function describeAttempt(a: FailoverAttempt): string {
  switch (a.outcome) {
    case 'ok':
      return `${a.source}: ok`;
    case 'failed':
      return `${a.source}: ${a.error.message}`;
    case 'skipped-open':
      return `${a.source}: skipped, failing repeatedly (cooling down until ${new Date(a.openUntil).toISOString()})`;
    case 'skipped-interval':
      return `${a.source}: skipped, does not serve this interval`;
  }
}
