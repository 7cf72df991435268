import { describe, expect, it } from 'vitest';
import {
  type BreakerState,
  DEFAULT_BREAKER,
  breakerDecision,
  closedState,
  createMemoryBreakerStore,
  recordFailure,
  recordSuccess,
  resolveBreakerOptions,
} from '../../../src/market/sources/breaker.js';

const MIN = 60_000;
const outage = { message: 'Yahoo did not answer within 15000 ms', transient: true };
const notFound = { message: 'Yahoo has no data for symbol "NOPE"', transient: false };

describe('circuit breaker', () => {
  it('defaults: 3 failures in a row, 15 minutes', () => {
    expect(DEFAULT_BREAKER).toEqual({ failureThreshold: 3, cooldownMs: 15 * MIN });
  });

  it('stays closed below the threshold and opens on the third transient failure', () => {
    let s = closedState();
    s = recordFailure(s, outage, 1000);
    s = recordFailure(s, outage, 2000);
    expect(s.consecutiveFailures).toBe(2);
    expect(s.openUntil).toBeUndefined();
    expect(breakerDecision(s, 2500)).toEqual({ allowed: true, probe: false });
    s = recordFailure(s, outage, 3000);
    expect(s).toEqual({ consecutiveFailures: 3, lastError: outage.message, lastErrorAt: 3000, openUntil: 3000 + 15 * MIN });
    expect(breakerDecision(s, 3000 + 15 * MIN - 1)).toEqual({ allowed: false, openUntil: 3000 + 15 * MIN });
  });

  it('after the cool-down lets one probe through; a failed probe re-opens for a full cool-down', () => {
    let s: BreakerState = { consecutiveFailures: 3, openUntil: 10 * MIN };
    expect(breakerDecision(s, 10 * MIN)).toEqual({ allowed: true, probe: true });
    s = recordFailure(s, outage, 11 * MIN);
    expect(s.consecutiveFailures).toBe(4);
    expect(s.openUntil).toBe(26 * MIN);
  });

  it('a success closes it and clears the streak, keeping the last error for display', () => {
    const s = recordSuccess({ consecutiveFailures: 3, openUntil: 5, lastError: 'x', lastErrorAt: 1 }, 99);
    expect(s).toEqual({ consecutiveFailures: 0, lastError: 'x', lastErrorAt: 1, lastSuccessAt: 99, openUntil: undefined });
    expect(breakerDecision(s, 100)).toEqual({ allowed: true, probe: false });
  });

  it('a permanent answer never opens it and ends a failure streak', () => {
    let s = closedState();
    for (let i = 0; i < 10; i++) s = recordFailure(s, notFound, i);
    expect(s.consecutiveFailures).toBe(0);
    expect(s.openUntil).toBeUndefined();
    expect(s.lastError).toBe(notFound.message);
    s = recordFailure(recordFailure(s, outage, 20), outage, 21);
    s = recordFailure(s, notFound, 22);
    s = recordFailure(s, outage, 23);
    expect(s.consecutiveFailures).toBe(1);
    expect(s.openUntil).toBeUndefined();
  });

  it('honours custom options and validates them', () => {
    const options = resolveBreakerOptions({ failureThreshold: 1, cooldownMs: 1000 });
    expect(recordFailure(undefined, outage, 50, options).openUntil).toBe(1050);
    expect(() => resolveBreakerOptions({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => resolveBreakerOptions({ cooldownMs: 0 })).toThrow(RangeError);
  });

  it('memory store keeps states per source', async () => {
    const store = createMemoryBreakerStore({ yahoo: { consecutiveFailures: 1 } });
    await store.put('binance', { consecutiveFailures: 2 });
    expect(await store.get('yahoo')).toEqual({ consecutiveFailures: 1 });
    expect(await store.get('binance')).toEqual({ consecutiveFailures: 2 });
    expect(await store.get('other')).toBeUndefined();
  });
});
