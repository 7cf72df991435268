/**
 * Circuit breaker for online sources, as pure functions over a stored state. The orchestrator keeps the state
 * (in the store, per source name); this module only decides and computes the next state.
 *
 * Model:
 * - **closed**: requests go through. Each *source-level* failure (a transient `SourceError`: timeout, network
 *   down, 429, 5xx, an HTML interstitial) adds one to `consecutiveFailures`; a success resets it to 0.
 * - **open**: after `failureThreshold` failures in a row the breaker opens for `cooldownMs`
 *   (`openUntil = now + cooldownMs`); requests skip the source until then.
 * - **half-open**: once `openUntil` has passed, the next request is let through as a probe. Success closes the
 *   breaker; failure re-opens it for a full cool-down at once (the count is still over the threshold). Requests
 *   running concurrently may each act as a probe; every failed one re-opens the breaker, so that is harmless.
 *
 * A permanent answer (unknown symbol, no data for the range, a rejected parameter) is *request-level*: the
 * source was reachable and answered. It records `lastError` but does not count as a failure, and it ends a
 * failure streak (`consecutiveFailures = 0`) because it proves the source is up. This way one bad symbol in a
 * watch-list can never take a healthy source out of rotation, while an outage still trips the breaker quickly.
 */

/** Persisted breaker state of one source. Times are ms since epoch (UTC). */
export interface BreakerState {
  /** Source-level failures since the last success or permanent answer (>= 0). */
  consecutiveFailures: number;
  /** One-line message of the most recent failure (source- or request-level). */
  lastError?: string;
  lastErrorAt?: number;
  lastSuccessAt?: number;
  /** While `now < openUntil` the source is skipped. */
  openUntil?: number;
}

/** Where the orchestrator keeps breaker states (e.g. a store table); keyed by source name. */
export interface BreakerStore {
  get(source: string): Promise<BreakerState | undefined>;
  put(source: string, state: BreakerState): Promise<void>;
}

/** Breaker tuning. */
export interface BreakerOptions {
  /** Failures in a row that open the breaker (integer >= 1); default 3. */
  failureThreshold: number;
  /** How long an open breaker skips the source, ms (> 0); default 15 minutes. */
  cooldownMs: number;
}

/** Defaults: open after 3 source-level failures in a row, for 15 minutes. */
export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 3, cooldownMs: 15 * 60_000 };

/** A fresh, closed state. */
export function closedState(): BreakerState {
  return { consecutiveFailures: 0 };
}

/** Merge and validate breaker options. */
export function resolveBreakerOptions(options: Partial<BreakerOptions> = {}): BreakerOptions {
  const merged = { ...DEFAULT_BREAKER, ...options };
  if (!Number.isInteger(merged.failureThreshold) || merged.failureThreshold < 1) {
    throw new RangeError(`failureThreshold must be an integer >= 1, got ${merged.failureThreshold}`);
  }
  if (!(merged.cooldownMs > 0)) throw new RangeError(`cooldownMs must be > 0, got ${merged.cooldownMs}`);
  return merged;
}

/** Whether a request may go to the source now. `probe` is true when this request is the half-open probe. */
export type BreakerDecision = { allowed: true; probe: boolean } | { allowed: false; openUntil: number };

/** Decide whether the source may be called at `now` (ms since epoch). */
export function breakerDecision(state: BreakerState | undefined, now: number): BreakerDecision {
  if (state?.openUntil === undefined) return { allowed: true, probe: false };
  if (now < state.openUntil) return { allowed: false, openUntil: state.openUntil };
  return { allowed: true, probe: true };
}

/** State after a successful fetch: closed, streak cleared. */
export function recordSuccess(state: BreakerState | undefined, now: number): BreakerState {
  return { ...(state ?? closedState()), consecutiveFailures: 0, lastSuccessAt: now, openUntil: undefined };
}

/**
 * State after a failed fetch. `transient` failures are source-level and count toward opening; permanent ones
 * are request-level (see the module note): they record the message and end the streak.
 */
export function recordFailure(
  state: BreakerState | undefined,
  failure: { message: string; transient: boolean },
  now: number,
  options: BreakerOptions = DEFAULT_BREAKER,
): BreakerState {
  const base = state ?? closedState();
  if (!failure.transient) {
    return { ...base, consecutiveFailures: 0, lastError: failure.message, lastErrorAt: now, openUntil: undefined };
  }
  const consecutiveFailures = base.consecutiveFailures + 1;
  const open = consecutiveFailures >= options.failureThreshold;
  return {
    ...base,
    consecutiveFailures,
    lastError: failure.message,
    lastErrorAt: now,
    openUntil: open ? now + options.cooldownMs : undefined,
  };
}

/** An in-memory `BreakerStore` (one process, e.g. tests or a single `collect` run without a store). */
export function createMemoryBreakerStore(initial: Record<string, BreakerState> = {}): BreakerStore {
  const states = new Map<string, BreakerState>(Object.entries(initial));
  return {
    get: async (source) => states.get(source),
    put: async (source, state) => {
      states.set(source, state);
    },
  };
}
